# Read by bin/gfs before every command: settings for this host's gfs processes.
# export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
# export GFS_LOG_DIR=/var/log/gfs
# JVM options per role (defaults: -Xmx1g for servers, -Xmx512m for ZooKeeper and clients). The master keeps the whole
# namespace in memory: plan about 1 GiB of heap per million files.
# export GFS_MASTER_OPTS="-Xmx4g -XX:+UseG1GC"
# export GFS_CHUNKSERVER_OPTS="-Xmx2g"
# export GFS_ZOOKEEPER_OPTS="-Xmx512m"
# export GFS_CLIENT_OPTS="-Xmx512m"
