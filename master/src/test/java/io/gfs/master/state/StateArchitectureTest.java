package io.gfs.master.state;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The master's state is pure: no Thrift, sockets, channels, files, threads or clock reads (style guide 4). */
class StateArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.gfs.master");

  @Test
  void stateHasNoIo() {
    noClasses().that().resideInAPackage("io.gfs.master.state..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.thrift..", "io.gfs.thrift..", "java.net..",
            "java.nio.channels..", "java.nio.file..", "io.gfs.common.rpc..", "org.apache.curator..",
            "org.apache.zookeeper..", "org.slf4j..")
        .check(CLASSES);
  }

  @Test
  void stateReadsNoClockAndStartsNoThreads() {
    noClasses().that().resideInAPackage("io.gfs.master.state..")
        .should().dependOnClassesThat().haveNameMatching("java\\.io\\.File.*|java\\.lang\\.Thread|"
            + "java\\.util\\.concurrent\\.ThreadLocalRandom|java\\.time\\.(Clock|Instant|InstantSource)|"
            + "java\\.util\\.concurrent\\.(Executor.*|ScheduledExecutorService)|java\\.util\\.UUID")
        .check(CLASSES);
    noClasses().that().resideInAPackage("io.gfs.master.state..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .check(CLASSES);
  }

  @Test
  void theLogDoesNotTalkThrift() {
    noClasses().that().resideInAPackage("io.gfs.master.oplog..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.thrift..", "io.gfs.thrift..", "java.net..")
        .check(CLASSES);
  }
}
