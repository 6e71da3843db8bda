using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Dns;

/// <summary>How a <see cref="DnsServer"/> answers and forwards.</summary>
public sealed record DnsServerOptions
{
    /// <summary>
    /// The network whose namespace the listening sockets live in: an asker must be an endpoint of this network
    /// (identified by source address). Null accepts an asker from any network (tests, a host-level listener).
    /// </summary>
    public string? NetworkId { get; init; }

    /// <summary>The resolv.conf whose <c>nameserver</c> lines are the upstreams (re-read when it changes).</summary>
    public string ResolvConfPath { get; init; } = "/etc/resolv.conf";

    /// <summary>
    /// The address the resolver listens on. A resolv.conf naming it is never forwarded to (a host whose resolv.conf
    /// points at the resolver itself would loop).
    /// </summary>
    public IPAddress? ListenAddress { get; init; }

    /// <summary>Upstreams to use instead of <see cref="ResolvConfPath"/> (tests); null reads the file.</summary>
    public IReadOnlyList<IPEndPoint>? UpstreamServers { get; init; }

    /// <summary>
    /// Creates each upstream socket. The default creates it on the calling thread, i.e. in the namespace the process
    /// runs in (the host's), whatever namespace the listening sockets were created in.
    /// </summary>
    public Func<AddressFamily, SocketType, ProtocolType, Socket> UpstreamSocketFactory { get; init; } =
        static (family, type, protocol) => new Socket(family, type, protocol);

    /// <summary>
    /// How long one upstream may take before the next is tried. Three of them stay below the 4 s Docker's embedded
    /// resolver waits for us (moby resolver.go extIOTimeout), so a dead upstream does not fail the whole lookup.
    /// </summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(1.2);

    /// <summary>
    /// Whether names the networks do not know are forwarded upstream. Off for an <c>--internal</c> network, so its
    /// containers resolve no more than Docker lets them (moby skips host upstreams for internal-only sandboxes): such
    /// names get REFUSED, which makes Docker's resolver try the container's next server and then answer SERVFAIL.
    /// </summary>
    public bool ForwardUnknownNames { get; init; } = true;

    /// <summary>At most this many upstreams are tried, in order (Docker's maxExtDNS).</summary>
    public int MaxUpstreams { get; init; } = 3;

    /// <summary>
    /// TTL of local answers. 0 by default: names must disappear within a second of a container's removal, and
    /// nothing between the container and us should keep them longer (dnsmasq's default local-ttl is 0 too).
    /// </summary>
    public uint Ttl { get; init; }

    /// <summary>Owner names of answers point to the question (RFC 1035 compression); off only for tests.</summary>
    public bool CompressAnswers { get; init; } = true;

    /// <summary>Forwarded questions in flight at once; beyond this a query gets REFUSED (Docker allows 1024 per container).</summary>
    public int MaxConcurrentForwards { get; init; } = 1024;

    /// <summary>Open TCP connections at once; further connections are closed immediately.</summary>
    public int MaxTcpConnections { get; init; } = 64;

    /// <summary>How long a TCP connection may sit without sending a frame, or take to send one (slowloris).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Totals to add to (share one instance between the resolvers of a host); a new one when null.</summary>
    public DnsCounters? Counters { get; init; }
}
