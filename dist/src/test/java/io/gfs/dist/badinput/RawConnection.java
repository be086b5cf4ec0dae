package io.gfs.dist.badinput;

import io.gfs.common.HostPort;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.transport.TMemoryInputTransport;

/** One bad input on a connection of its own, and what the server did about it. */
public final class RawConnection {
  /** How a server answered a bad input. */
  public enum Answer {
    /** It closed (end of stream or reset). */
    CLOSED,
    /** It replied with a Thrift exception (TApplicationException) or a reply carrying GfsException. */
    ERROR_REPLY,
    /** Neither within the wait: the input was left hanging (a failure unless the input itself stalls). */
    NOTHING
  }

  private RawConnection() {}

  public static Answer send(HostPort address, BadInputs.BadInput input, int waitMillis) throws IOException {
    try (Socket socket = new Socket(address.host(), address.port())) {
      socket.setSoTimeout(waitMillis);
      try {
        socket.getOutputStream().write(input.bytes());
        socket.getOutputStream().flush();
        if (input.after() == BadInputs.After.HALF_CLOSE) {
          socket.shutdownOutput();
        }
      } catch (SocketException closedWhileSending) {
        return Answer.CLOSED; // the server closed on the first bytes already
      }
      return answer(socket.getInputStream());
    }
  }

  private static Answer answer(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    try {
      int length = data.readInt();
      if (length <= 0 || length > (16 << 20)) {
        return Answer.NOTHING; // not a frame a gfs server writes
      }
      byte[] body = new byte[length];
      data.readFully(body);
      TBinaryProtocol reply = new TBinaryProtocol(new TMemoryInputTransport(body));
      TMessage message = reply.readMessageBegin();
      if (message.type == TMessageType.EXCEPTION) {
        TApplicationException.readFrom(reply);
        return Answer.ERROR_REPLY;
      }
      // A REPLY: the handler itself answered; the bad inputs' calls have no field a handler could accept.
      return message.type == TMessageType.REPLY ? Answer.ERROR_REPLY : Answer.NOTHING;
    } catch (EOFException | SocketException closed) {
      return Answer.CLOSED;
    } catch (SocketTimeoutException silent) {
      return Answer.NOTHING;
    } catch (org.apache.thrift.TException unparsable) {
      return Answer.NOTHING;
    }
  }
}
