using System.Buffers.Binary;
using System.Net.Sockets;

namespace DockerNetPlugin.Dns;

/// <summary>Reads whole buffers from a stream socket (DNS over TCP frames, RFC 1035 §4.2.2).</summary>
internal static class TcpFraming
{
    /// <summary>The message with its two-byte big-endian length prefix.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        var frame = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, checked((ushort)message.Length));
        message.CopyTo(frame.AsSpan(2));
        return frame;
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed before sending anything, throws when it closed midway.</summary>
    public static async ValueTask<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer[filled..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return filled == 0 ? false : throw new SocketException((int)SocketError.ConnectionReset);
            }

            filled += read;
        }

        return true;
    }
}
