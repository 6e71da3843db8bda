using System.Threading.Channels;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink;

/// <summary>
/// Subscribes to RTNLGRP_NEIGH in one namespace and reports vxlan L2/L3 misses (netlink.md §5): both arrive as
/// RTM_GETNEIGH in state STALE/INCOMPLETE; with NDA_DST it is an L3 miss, with only NDA_LLADDR an L2 miss.
/// The kernel often sends each miss twice: a miss equal to the previous one within <see cref="DuplicateWindowMs"/>
/// is dropped. ENOBUFS (notifications lost) is reported as <see cref="MissResync"/>.
/// A dedicated thread reads the socket with a short poll timeout, so disposal stops it promptly.
/// </summary>
public sealed class NeighborMonitor : IAsyncDisposable
{
    /// <summary>Two equal misses closer than this are one.</summary>
    internal const int DuplicateWindowMs = 1000;

    private const int PollTimeoutMs = 200;

    /// <summary>A big queue makes ENOBUFS (lost notifications) rare.</summary>
    private const int KernelReceiveBufferSize = 8 * 1024 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly Channel<NeighborMiss> _misses = Channel.CreateUnbounded<NeighborMiss>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private NeighborMiss? _lastMiss;
    private long _lastMissAt;

    private NeighborMonitor(NetlinkSocket socket)
    {
        _socket = socket;
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "dnp-neigh-monitor" };
        reader.Start();
    }

    /// <summary>Subscribes in <paramref name="ns"/> (socket opened on a dedicated thread there), or in the process's own namespace when null.</summary>
    public static NeighborMonitor Open(NetNs? ns) => Open(ns, KernelReceiveBufferSize);

    /// <summary>As <see cref="Open(NetNs?)"/> with a chosen kernel receive queue (tests use a tiny one to provoke ENOBUFS).</summary>
    internal static NeighborMonitor Open(NetNs? ns, int kernelReceiveBuffer)
    {
        NetlinkSocket OpenSocket() => NetlinkSocket.Open(Nlm.RTNLGRP_NEIGH, kernelReceiveBuffer);
        var socket = ns is null ? NetNs.RunInProcessNamespace(OpenSocket) : ns.Run(OpenSocket);
        return new NeighborMonitor(socket);
    }

    /// <summary>The misses in arrival order until disposal (or a socket failure, which is thrown here).</summary>
    public IAsyncEnumerable<NeighborMiss> ReadAllAsync(CancellationToken cancellationToken) =>
        _misses.Reader.ReadAllAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await _stopped.Task.ConfigureAwait(false);
        _socket.Dispose();
    }

    /// <summary>Turns one notification into a miss, or null when it is not one.</summary>
    internal static NeighborMiss? ParseMiss(in NetlinkMessage message)
    {
        var payload = message.Payload;
        if (message.Type != Rtm.RTM_GETNEIGH || payload.Length < Nda.NdMsgSize || payload[0] is not (Af.AF_INET or Af.AF_INET6))
        {
            return null;
        }

        var state = AttributeReader.U16LittleEndian(payload[8..]);
        if ((state & (Nud.NUD_STALE | Nud.NUD_INCOMPLETE)) == 0)
        {
            return null;
        }

        var index = AttributeReader.S32(payload[4..]);
        RtnlHandle.ReadDestinationAndMac(message, out var ip, out var mac);
        return ip is not null ? new L3Miss(index, ip) : mac is not null ? new L2Miss(index, mac) : null;
    }

    private void ReadLoop()
    {
        var buffer = new byte[NetlinkSocket.ReceiveBufferSize];
        Exception? failure = null;
        try
        {
            while (!_stopping)
            {
                if (!_socket.WaitReadable(PollTimeoutMs))
                {
                    continue;
                }

                var n = _socket.ReceiveDatagram(buffer);
                if (n == -(int)Interop.Errno.ENOBUFS)
                {
                    _lastMiss = null;
                    _misses.Writer.TryWrite(new MissResync());
                    continue;
                }

                if (n is -(int)Interop.Errno.EAGAIN or -(int)Interop.Errno.EINTR)
                {
                    continue;
                }

                if (n < 0)
                {
                    throw new NetlinkException("recv neighbour notifications", -n, null);
                }

                Dispatch(buffer.AsSpan(0, n));
            }
        }
#pragma warning disable CA1031 // the failure is handed to the reader of the channel
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        finally
        {
            _misses.Writer.TryComplete(failure);
            _stopped.TrySetResult();
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram)
    {
        var reader = new MessageReader(datagram);
        while (reader.Next(out var message))
        {
            if (ParseMiss(message) is not { } miss)
            {
                continue;
            }

            var now = Environment.TickCount64;
            if (miss.Equals(_lastMiss) && now - _lastMissAt < DuplicateWindowMs)
            {
                continue;
            }

            _lastMiss = miss;
            _lastMissAt = now;
            _misses.Writer.TryWrite(miss);
        }
    }
}
