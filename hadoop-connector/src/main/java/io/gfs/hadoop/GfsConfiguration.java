package io.gfs.hadoop;

import io.gfs.client.GfsClientOptions;
import io.gfs.common.GfsConfig;
import org.apache.hadoop.conf.Configuration;

/**
 * The bridge from a Hadoop Configuration to the client library's immutable options: keys are read through
 * {@link GfsConfig}'s typed getters (fs.gfs.* from GfsConfigKeys.Client), never by string elsewhere.
 */
public final class GfsConfiguration {
  private GfsConfiguration() {}

  public static GfsConfig toGfsConfig(Configuration conf) {
    return GfsConfig.of(conf::get);
  }

  public static GfsClientOptions clientOptions(Configuration conf) {
    return GfsClientOptions.from(toGfsConfig(conf));
  }
}
