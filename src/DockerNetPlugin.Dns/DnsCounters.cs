namespace DockerNetPlugin.Dns;

/// <summary>Running totals of one or more resolvers (share one instance through <see cref="DnsServerOptions.Counters"/>), for <c>dnp status</c>.</summary>
public sealed class DnsCounters
{
    private long _queries;
    private long _answeredLocally;
    private long _forwarded;
    private long _forwardFailures;
    private long _errors;
    private long _dropped;
    private long _truncated;
    private long _tcpRejected;

    /// <summary>A consistent-enough copy of the totals (each value is read atomically).</summary>
    public DnsStatistics Snapshot() => new(
        Interlocked.Read(ref _queries),
        Interlocked.Read(ref _answeredLocally),
        Interlocked.Read(ref _forwarded),
        Interlocked.Read(ref _forwardFailures),
        Interlocked.Read(ref _errors),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _truncated),
        Interlocked.Read(ref _tcpRejected));

    internal void Query() => Interlocked.Increment(ref _queries);

    internal void AnsweredLocally() => Interlocked.Increment(ref _answeredLocally);

    internal void Forwarded() => Interlocked.Increment(ref _forwarded);

    internal void ForwardFailed() => Interlocked.Increment(ref _forwardFailures);

    internal void Error() => Interlocked.Increment(ref _errors);

    internal void Dropped() => Interlocked.Increment(ref _dropped);

    internal void Truncated() => Interlocked.Increment(ref _truncated);

    internal void TcpRejected() => Interlocked.Increment(ref _tcpRejected);
}

/// <summary>Resolver totals since start.</summary>
/// <param name="Queries">Messages received (UDP datagrams and TCP frames).</param>
/// <param name="AnsweredLocally">Questions answered from the name table (records or NODATA).</param>
/// <param name="Forwarded">Questions forwarded to the host's resolvers.</param>
/// <param name="ForwardFailures">Forwarded questions no upstream answered usably (the client got SERVFAIL).</param>
/// <param name="Errors">FORMERR, NOTIMP, REFUSED and BADVERS answers to bad or unsupported queries.</param>
/// <param name="Dropped">Messages not answered at all (shorter than a header, responses, bad TCP frames).</param>
/// <param name="Truncated">Local answers sent with TC because they did not fit the client's UDP size.</param>
/// <param name="TcpRejected">TCP connections closed at once because the connection cap was reached.</param>
public sealed record DnsStatistics(long Queries, long AnsweredLocally, long Forwarded, long ForwardFailures, long Errors, long Dropped, long Truncated, long TcpRejected);
