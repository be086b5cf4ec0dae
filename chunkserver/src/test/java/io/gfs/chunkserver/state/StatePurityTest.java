package io.gfs.chunkserver.state;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The state package decides; it never touches Thrift, the network, files, threads or a clock (style guide 1, 4). */
class StatePurityTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.gfs.chunkserver");

  @Test
  void stateHasNoIo() {
    ArchRule rule = noClasses().that().resideInAPackage("io.gfs.chunkserver.state..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.thrift..", "io.gfs.thrift..", "java.net..",
            "java.nio.channels..", "java.nio.file..", "io.gfs.chunkserver.store..", "io.gfs.chunkserver.server..",
            "org.slf4j..")
        .orShould().dependOnClassesThat().haveNameMatching("java\\.io\\.File.*")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime");
    rule.check(CLASSES);
  }

  @Test
  void storeDoesNotReachIntoTheServer() {
    noClasses().that().resideInAPackage("io.gfs.chunkserver.store..")
        .should().dependOnClassesThat().resideInAnyPackage("io.gfs.chunkserver.server..", "org.apache.thrift..",
            "io.gfs.thrift..")
        .check(CLASSES);
  }
}
