using System.Buffers.Binary;
using System.Runtime.InteropServices;
using DockerNetPlugin.Interop;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink;

/// <summary>Reads one reply message of a request; returns false to skip it.</summary>
internal delegate bool MessageParser<T>(in NetlinkMessage message, out T value);

/// <summary>Writes batch item <paramref name="index"/> as one message with sequence <paramref name="seq"/>.</summary>
internal delegate void BatchItemWriter(ref NetlinkWriter writer, int index, uint seq);

/// <summary>
/// One netlink socket (NETLINK_ROUTE unless told otherwise), bound to the namespace it was opened in. Assigns sequence numbers, matches
/// replies by sequence, turns NLMSG_ERROR (with extended-ack text) into <see cref="NetlinkException"/>,
/// reads multi-part dumps to NLMSG_DONE (redoing interrupted ones) and pipelines batches.
/// All request methods are serialised by one gate, so a socket may be shared between threads.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    /// <summary>User-space receive buffer: dumps come in datagrams of up to ~32 KiB (netlink.md §1.5).</summary>
    internal const int ReceiveBufferSize = 64 * 1024;

    /// <summary>Kernel receive queue requested with SO_RCVBUFFORCE (falls back to SO_RCVBUF).</summary>
    private const int KernelReceiveBufferSize = 4 * 1024 * 1024;

    /// <summary>Kernel send buffer; a batch datagram must stay below it.</summary>
    private const int KernelSendBufferSize = 1024 * 1024;

    /// <summary>A datagram this large always fits the send buffer (SO_SNDBUF is capped by net.core.wmem_max, 212992 by default).</summary>
    private const int MinimumKernelSendBuffer = 64 * 1024;

    /// <summary>Bytes of one batch datagram.</summary>
    private const int BatchDatagramSize = 128 * 1024;

    /// <summary>Upper bound of the bytes one batch item may take.</summary>
    private const int MaxBatchItemSize = 512;

    /// <summary>Queue cost of one error reply, to keep a chunk's worst case (every item fails) in the receive queue.</summary>
    private const int ErrorReplyQueueCost = 2048;

    private const int ReceiveTimeoutSeconds = 30;
    private const int DumpAttempts = 5;

    private readonly SafeFdHandle _fd;

    // Guards _seq, _receive and the request/reply stream of the socket: one exchange at a time.
    private readonly Lock _gate = new();
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private readonly int _maxInFlight;
    private uint _seq;

    private NetlinkSocket(SafeFdHandle fd, uint portId, int kernelReceiveBuffer)
    {
        _fd = fd;
        PortId = portId;
        _maxInFlight = Math.Clamp(kernelReceiveBuffer / ErrorReplyQueueCost, 16, 1024);
        _seq = (uint)Environment.TickCount;
    }

    /// <summary>The port id the kernel assigned (nl_pid).</summary>
    internal uint PortId { get; }

    /// <summary>Most messages of a batch that are sent before their replies are collected.</summary>
    internal int MaxInFlight => _maxInFlight;

    /// <summary>
    /// Opens a socket in the calling thread's network namespace, configured like iproute2
    /// (ext-ack, strict dump checking, capped error replies, large queues); joins <paramref name="group"/> if not 0.
    /// </summary>
    internal static NetlinkSocket Open(int group = 0, int kernelReceiveBuffer = KernelReceiveBufferSize, int protocol = Libc.NETLINK_ROUTE)
    {
        var fd = Errors.Own(
            Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol),
            $"socket(AF_NETLINK, {(protocol == Libc.NETLINK_NETFILTER ? "NETLINK_NETFILTER" : "NETLINK_ROUTE")})");
        try
        {
            SetInt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, KernelSendBufferSize, "SO_SNDBUF");
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, kernelReceiveBuffer, sizeof(int)) < 0)
            {
                SetInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, kernelReceiveBuffer, "SO_RCVBUF");
            }

            SetInt(fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            SetInt(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
            var timeout = new Libc.Timeval { Seconds = ReceiveTimeoutSeconds };
            Errors.Check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, Marshal.SizeOf<Libc.Timeval>()), "setsockopt SO_RCVTIMEO");

            var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
            Errors.Check(Libc.bind(fd, address, Marshal.SizeOf<Libc.SockaddrNl>()), "bind netlink socket");
            SetInt(fd, Libc.SOL_NETLINK, Libc.NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
            if (group != 0)
            {
                SetInt(fd, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP");
            }

            var length = Marshal.SizeOf<Libc.SockaddrNl>();
            Errors.Check(Libc.getsockname(fd, out var bound, ref length), "getsockname netlink socket");
            length = sizeof(int);
            Errors.Check(Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, out var rcvbuf, ref length), "getsockopt SO_RCVBUF");
            return new NetlinkSocket(fd, bound.Pid, rcvbuf);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request that carries NLM_F_ACK and waits for its ACK; throws the kernel's error.</summary>
    internal void Execute(Span<byte> request, string operation)
    {
        lock (_gate)
        {
            var seq = Stamp(request);
            Send(request, operation);
            ReceiveReplies<byte>(seq, operation, dump: false, ack: true, results: null, parse: null, out _);
        }
    }

    /// <summary>Sends a non-dump GET and returns its single reply, or null when the kernel answers "not found".</summary>
    internal T? Get<T>(Span<byte> request, string operation, MessageParser<T> parse)
        where T : class
    {
        lock (_gate)
        {
            var seq = Stamp(request);
            Send(request, operation);
            var results = new List<T>(1);
            try
            {
                ReceiveReplies(seq, operation, dump: false, ack: false, results, parse, out _);
            }
            catch (NetlinkException e) when (e.IsNotFound)
            {
                return null;
            }

            return results.Count > 0 ? results[0] : null;
        }
    }

    /// <summary>Sends a dump request and parses every reply up to NLMSG_DONE; redoes interrupted dumps.</summary>
    internal List<T> Dump<T>(Span<byte> request, string operation, MessageParser<T> parse)
    {
        lock (_gate)
        {
            for (var attempt = 1; ; attempt++)
            {
                var seq = Stamp(request);
                Send(request, operation);
                var results = new List<T>();
                ReceiveReplies(seq, operation, dump: true, ack: false, results, parse, out var interrupted);
                if (!interrupted)
                {
                    return results;
                }

                if (attempt == DumpAttempts)
                {
                    throw new NetlinkException(operation + $" (dump interrupted {DumpAttempts} times)", (int)Interop.Errno.EINTR, null);
                }
            }
        }
    }

    /// <summary>
    /// Pipelines <paramref name="count"/> requests: many per datagram, NLM_F_ACK kept only on the last of each
    /// chunk (the kernel handles a datagram's messages in order and always answers a failed one), so a
    /// chunk costs one sendmsg plus one recv per failure. Returns every failure with its item index.
    /// </summary>
    internal List<(int Index, NetlinkException Error)> ExecuteBatch(int count, BatchItemWriter write, Func<int, string> describe)
    {
        var failures = new List<(int, NetlinkException)>();
        var buffer = new byte[BatchDatagramSize];
        lock (_gate)
        {
            var next = 0;
            while (next < count)
            {
                var first = next;
                var firstSeq = _seq + 1;
                var writer = new NetlinkWriter(buffer);
                var lastStart = 0;
                while (next < count && next - first < _maxInFlight && writer.Remaining >= MaxBatchItemSize)
                {
                    lastStart = writer.Length;
                    write(ref writer, next, ++_seq);
                    SetAckFlag(buffer.AsSpan(lastStart), on: false);
                    next++;
                }

                SetAckFlag(buffer.AsSpan(lastStart), on: true);
                Send(buffer.AsSpan(0, writer.Length), describe(first));
                CollectBatchReplies(firstSeq, _seq, first, describe, failures);
            }
        }

        return failures;
    }

    /// <summary>
    /// Sends <paramref name="count"/> messages as ONE datagram (an nfnetlink transaction: item 0 opens it,
    /// the last closes it, and the kernel applies all or nothing) and collects the NLMSG_ERROR of every message
    /// written with NLM_F_ACK. The kernel handles the datagram inside sendmsg, so every reply is queued when send
    /// returns; after a failure (which may be batch-level, on an item without ACK) only what is queued is read.
    /// Returns every failure with its item index; an empty list means the transaction was committed.
    /// </summary>
    internal List<(int Index, NetlinkException Error)> ExecuteTransaction(int count, int bufferSize, BatchItemWriter write, Func<int, string> describe)
    {
        var failures = new List<(int, NetlinkException)>();
        var buffer = new byte[bufferSize];
        lock (_gate)
        {
            var writer = new NetlinkWriter(buffer);
            var firstSeq = _seq + 1;
            var acked = new bool[count];
            var pending = 0;
            for (var i = 0; i < count; i++)
            {
                var start = writer.Length;
                write(ref writer, i, ++_seq);
                acked[i] = (BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(start + 6)) & Nlm.NLM_F_ACK) != 0;
                pending += acked[i] ? 1 : 0;
            }

            EnsureSendBuffer(writer.Length);
            Send(buffer.AsSpan(0, writer.Length), describe(0));
            var replied = new bool[count];
            while (pending > 0)
            {
                if (failures.Count > 0 && !WaitReadable(0))
                {
                    break; // a batch-level failure: the kernel answered what it will answer
                }

                var n = ReceiveOrThrow(describe(0));
                var reader = new MessageReader(_receive.AsSpan(0, n));
                while (reader.Next(out var message))
                {
                    var offset = unchecked(message.Sequence - firstSeq);
                    if (message.Type != Nlm.NLMSG_ERROR || offset >= (uint)count || replied[offset])
                    {
                        continue;
                    }

                    replied[offset] = true;
                    pending -= acked[offset] ? 1 : 0;
                    var error = ParseError(message, out var text);
                    if (error != 0)
                    {
                        failures.Add(((int)offset, new NetlinkException(describe((int)offset), -error, text)));
                    }
                }
            }
        }

        failures.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return failures;
    }

    /// <summary>Waits until a datagram can be read; false on timeout.</summary>
    internal bool WaitReadable(int timeoutMs)
    {
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            var pfd = new Libc.PollFd { Fd = _fd.Fd, Events = Libc.POLLIN };
            var n = Libc.poll(ref pfd, 1, timeoutMs);
            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno == (int)Interop.Errno.EINTR ? false : throw new NetlinkException("poll netlink socket", errno, null);
            }

            return n > 0;
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>Reads one datagram from the kernel; returns its length, or the negative errno.</summary>
    internal unsafe int ReceiveDatagram(Span<byte> buffer)
    {
        while (true)
        {
            var fromLength = Marshal.SizeOf<Libc.SockaddrNl>();
            nint n;
            fixed (byte* p = buffer)
            {
                n = Libc.recvfrom(_fd, p, buffer.Length, Libc.MSG_TRUNC, out var from, ref fromLength);
                if (n >= 0 && from.Pid != 0)
                {
                    continue; // not from the kernel: ignore
                }
            }

            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == (int)Interop.Errno.EINTR)
                {
                    continue;
                }

                return -errno;
            }

            if (n > buffer.Length)
            {
                return -(int)Interop.Errno.EMSGSIZE;
            }

            return (int)n;
        }
    }

    public void Dispose() => _fd.Dispose();

    /// <summary>The error of an NLMSG_ERROR message (0 = ACK) and its extended-ack text.</summary>
    internal static int ParseError(in NetlinkMessage message, out string? kernelMessage)
    {
        kernelMessage = null;
        var payload = message.Payload;
        if (payload.Length < 4)
        {
            return -(int)Interop.Errno.EIO;
        }

        var error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if ((message.Flags & Nlm.NLM_F_ACK_TLVS) == 0 || payload.Length < 4 + Nlm.NLMSG_HDRLEN)
        {
            return error;
        }

        var tlvStart = 4 + Nlm.NLMSG_HDRLEN;
        if ((message.Flags & Nlm.NLM_F_CAPPED) == 0)
        {
            tlvStart += (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]) - Nlm.NLMSG_HDRLEN;
        }

        if (tlvStart > payload.Length)
        {
            return error;
        }

        var attributes = new AttributeReader(payload[Nlm.Align(tlvStart)..]);
        while (attributes.Next(out var type, out var value))
        {
            if (type == Nlm.NLMSGERR_ATTR_MSG)
            {
                kernelMessage = AttributeReader.String(value);
            }
        }

        return error;
    }

    /// <summary>Sets or clears NLM_F_ACK in the header of the message at the start of <paramref name="message"/>.</summary>
    private static void SetAckFlag(Span<byte> message, bool on)
    {
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        flags = on ? (ushort)(flags | Nlm.NLM_F_ACK) : (ushort)(flags & ~Nlm.NLM_F_ACK);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], flags);
    }

    /// <summary>Raises the kernel send buffer (SO_SNDBUFFORCE, as root may) so one datagram of <paramref name="bytes"/> fits.</summary>
    private void EnsureSendBuffer(int bytes)
    {
        if (bytes <= MinimumKernelSendBuffer)
        {
            return;
        }

        // The kernel refuses a datagram larger than sk_sndbuf - 32; it doubles the value set.
        var wanted = bytes + 64 * 1024;
        if (Libc.setsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, wanted, sizeof(int)) < 0)
        {
            SetInt(_fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, wanted, "SO_SNDBUF");
        }
    }

    private static void SetInt(SafeFdHandle fd, int level, int option, int value, string name) =>
        Errors.Check(Libc.setsockopt(fd, level, option, value, sizeof(int)), "setsockopt " + name);

    private uint Stamp(Span<byte> request)
    {
        var seq = ++_seq;
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], seq);
        return seq;
    }

    private unsafe void Send(ReadOnlySpan<byte> request, string operation)
    {
        fixed (byte* p = request)
        {
            while (true)
            {
                var n = Libc.send(_fd, p, request.Length, 0);
                if (n >= 0)
                {
                    return;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != (int)Interop.Errno.EINTR)
                {
                    throw new NetlinkException(operation + " (send)", errno, null);
                }
            }
        }
    }

    private int ReceiveOrThrow(string operation)
    {
        var n = ReceiveDatagram(_receive);
        if (n < 0)
        {
            var errno = -n;
            var what = errno == (int)Interop.Errno.EAGAIN ? $" (no reply within {ReceiveTimeoutSeconds} s)" : " (recv)";
            throw new NetlinkException(operation + what, errno == (int)Interop.Errno.EAGAIN ? (int)Interop.Errno.ETIMEDOUT : errno, null);
        }

        return n;
    }

    private void ReceiveReplies<T>(uint seq, string operation, bool dump, bool ack, List<T>? results, MessageParser<T>? parse, out bool interrupted)
    {
        interrupted = false;
        while (true)
        {
            var n = ReceiveOrThrow(operation);
            var reader = new MessageReader(_receive.AsSpan(0, n));
            while (reader.Next(out var message))
            {
                if (message.Sequence != seq)
                {
                    continue; // a late reply of an earlier request
                }

                interrupted |= (message.Flags & Nlm.NLM_F_DUMP_INTR) != 0;
                switch (message.Type)
                {
                    case Nlm.NLMSG_ERROR:
                        var error = ParseError(message, out var text);
                        if (error != 0)
                        {
                            throw new NetlinkException(operation, -error, text);
                        }

                        return;
                    case Nlm.NLMSG_DONE:
                        var status = message.Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(message.Payload) : 0;
                        if (status < 0)
                        {
                            ParseDoneText(message, out var doneText);
                            throw new NetlinkException(operation, -status, doneText);
                        }

                        return;
                    case Nlm.NLMSG_NOOP:
                    case Nlm.NLMSG_OVERRUN:
                        continue;
                    default:
                        if (parse is not null && results is not null && parse(message, out var value))
                        {
                            results.Add(value);
                        }

                        if (!dump && !ack)
                        {
                            return;
                        }

                        continue;
                }
            }
        }
    }

    private static void ParseDoneText(in NetlinkMessage message, out string? text)
    {
        text = null;
        if ((message.Flags & Nlm.NLM_F_ACK_TLVS) == 0 || message.Payload.Length <= 4)
        {
            return;
        }

        var attributes = new AttributeReader(message.Payload[4..]);
        while (attributes.Next(out var type, out var value))
        {
            if (type == Nlm.NLMSGERR_ATTR_MSG)
            {
                text = AttributeReader.String(value);
            }
        }
    }

    private void CollectBatchReplies(uint firstSeq, uint lastSeq, int firstIndex, Func<int, string> describe, List<(int, NetlinkException)> failures)
    {
        while (true)
        {
            var n = ReceiveOrThrow(describe(firstIndex));
            var reader = new MessageReader(_receive.AsSpan(0, n));
            while (reader.Next(out var message))
            {
                var offset = unchecked(message.Sequence - firstSeq);
                if (message.Type != Nlm.NLMSG_ERROR || offset > unchecked(lastSeq - firstSeq))
                {
                    continue;
                }

                var error = ParseError(message, out var text);
                var index = firstIndex + (int)offset;
                if (error != 0)
                {
                    failures.Add((index, new NetlinkException(describe(index), -error, text)));
                }

                if (message.Sequence == lastSeq)
                {
                    return;
                }
            }
        }
    }
}
