package io.gfs.hadoop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The client library knows nothing of Hadoop (it takes GfsClientOptions, never a Configuration), and its pure state
 * (caches, chunk math, retry policy, replica order) does no I/O, starts no threads and reads no clock.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.gfs.client", "io.gfs.hadoop");

  @Test
  void theClientLibraryHasNoHadoopDependency() {
    noClasses().that().resideInAPackage("io.gfs.client..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.hadoop..")
        .check(CLASSES);
  }

  @Test
  void theClientLibraryDoesNotReachIntoTheAdapter() {
    noClasses().that().resideInAPackage("io.gfs.client..")
        .should().dependOnClassesThat().resideInAPackage("io.gfs.hadoop..")
        .check(CLASSES);
  }

  @Test
  void clientStateIsPure() {
    noClasses().that().resideInAPackage("io.gfs.client.state..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.thrift..", "java.net..", "java.nio.channels..",
            "org.apache.curator..", "org.apache.zookeeper..")
        .orShould().dependOnClassesThat().haveNameMatching("java\\.io\\.File.*")
        .orShould().dependOnClassesThat().haveFullyQualifiedName(Thread.class.getName())
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.InstantSource")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .check(CLASSES);
  }
}
