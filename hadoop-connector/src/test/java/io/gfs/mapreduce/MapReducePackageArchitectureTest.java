package io.gfs.mapreduce;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The record-append formats sit on top of the connector: they use GfsFileSystem's public API only, never the client
 * library's internals, and the connector knows nothing of MapReduce (so it runs where MapReduce is absent).
 */
class MapReducePackageArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.gfs.client", "io.gfs.hadoop", "io.gfs.mapreduce");

  @Test
  void theFormatsUseOnlyTheFileSystemsPublicApi() {
    noClasses().that().resideInAPackage("io.gfs.mapreduce..")
        .should().dependOnClassesThat().resideInAnyPackage("io.gfs.client..", "io.gfs.thrift..",
            "org.apache.thrift..")
        .check(CLASSES);
  }

  @Test
  void theConnectorDoesNotNeedMapReduce() {
    noClasses().that().resideInAnyPackage("io.gfs.client..", "io.gfs.hadoop..")
        .should().dependOnClassesThat().resideInAnyPackage("io.gfs.mapreduce..", "org.apache.hadoop.mapred..",
            "org.apache.hadoop.mapreduce..")
        .check(CLASSES);
  }
}
