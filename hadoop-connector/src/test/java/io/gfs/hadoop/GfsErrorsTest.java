package io.gfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.GfsClientException;
import io.gfs.common.GfsPaths;
import io.gfs.thrift.gen.ErrorCode;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.InvalidPathException;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.PathIsDirectoryException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.junit.jupiter.api.Test;

class GfsErrorsTest {
  private static IOException map(ErrorCode code, GfsErrors.Op op) {
    return GfsErrors.translate(new GfsClientException(code, "op /p: " + code), op);
  }

  @Test
  void namespaceCodesBecomeTheExceptionsHadoopCallersExpect() {
    assertEquals(FileNotFoundException.class, map(ErrorCode.NOT_FOUND, GfsErrors.Op.OTHER).getClass());
    assertEquals(FileAlreadyExistsException.class, map(ErrorCode.ALREADY_EXISTS, GfsErrors.Op.CREATE).getClass());
    assertEquals(ParentNotDirectoryException.class,
        map(ErrorCode.PARENT_NOT_DIRECTORY, GfsErrors.Op.CREATE).getClass());
    assertEquals(ParentNotDirectoryException.class, map(ErrorCode.NOT_DIRECTORY, GfsErrors.Op.OTHER).getClass());
    // Nothing exists below a file: lookups answer FileNotFoundException, so exists() is false as on HDFS.
    assertEquals(FileNotFoundException.class, map(ErrorCode.PARENT_NOT_DIRECTORY, GfsErrors.Op.LOOKUP).getClass());
    assertEquals(FileNotFoundException.class, map(ErrorCode.PARENT_NOT_DIRECTORY, GfsErrors.Op.OPEN).getClass());
    assertEquals(PathIsNotEmptyDirectoryException.class,
        map(ErrorCode.DIRECTORY_NOT_EMPTY, GfsErrors.Op.OTHER).getClass());
  }

  @Test
  void aDirectoryWhereAFileWasExpectedDependsOnTheOperation() {
    assertEquals(FileNotFoundException.class, map(ErrorCode.IS_DIRECTORY, GfsErrors.Op.OPEN).getClass());
    assertEquals(FileAlreadyExistsException.class, map(ErrorCode.IS_DIRECTORY, GfsErrors.Op.CREATE).getClass());
    assertEquals(PathIsDirectoryException.class, map(ErrorCode.IS_DIRECTORY, GfsErrors.Op.OTHER).getClass());
    assertEquals(PathIsDirectoryException.class, map(ErrorCode.IS_DIRECTORY, GfsErrors.Op.LOOKUP).getClass());
  }

  @Test
  void invalidPathsRaiseHadoopsInvalidPathException() {
    assertThrows(InvalidPathException.class, () -> map(ErrorCode.INVALID_PATH, GfsErrors.Op.OTHER));
    InvalidPathException e = GfsErrors.invalidPath(new GfsPaths.InvalidPathException("a/b", "not absolute"));
    assertTrue(e.getMessage().contains("not absolute"), e.getMessage());
  }

  @Test
  void otherCodesKeepTheTypedExceptionAndMappedOnesKeepTheCause() {
    GfsClientException typed = new GfsClientException(ErrorCode.RECORD_TOO_LARGE, "big");
    assertSame(typed, GfsErrors.translate(typed, GfsErrors.Op.OTHER));
    IOException plain = new IOException("socket");
    assertSame(plain, GfsErrors.translate(plain, GfsErrors.Op.OTHER));
    GfsClientException exists = new GfsClientException(ErrorCode.ALREADY_EXISTS, "x");
    assertSame(exists, GfsErrors.translate(exists, GfsErrors.Op.CREATE).getCause());
    assertEquals(ErrorCode.RECORD_TOO_LARGE, GfsErrors.codeOf(typed));
    assertEquals(ErrorCode.NOT_FOUND, GfsErrors.codeOf(new FileNotFoundException()));
  }

  @Test
  void retryabilityIsTheClientLibrarys() {
    assertTrue(GfsErrors.retryable(ErrorCode.NOT_PRIMARY));
    assertTrue(!GfsErrors.retryable(ErrorCode.ALREADY_EXISTS));
  }
}
