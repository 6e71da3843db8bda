using DockerNetPlugin.Store;
using System.Net;

namespace DockerNetPlugin.Ipam;

/// <summary>
/// Settings of one host's <see cref="IpamService"/>. Every host sharing a store must use the same
/// default pools and prefixes, or they will carve different networks.
/// </summary>
/// <param name="HostId">This host's stable id; recorded as pool holder and address owner.</param>
public sealed record IpamOptions(string HostId)
{
    public IpamOptions() : this(string.Empty) { }

    /// <summary>Default IPv4 ranges that pools without <c>--subnet</c> are carved from: 10.192.0.0/12 (4096 /24s).</summary>
    public IReadOnlyList<IPNetwork> DefaultPoolsV4 { get; init; } = [IPNetwork.Parse("10.192.0.0/12")];

    /// <summary>Default IPv6 ranges: the ULA fd5a:7e1d:d1b0::/48 (65536 /64s).</summary>
    public IReadOnlyList<IPNetwork> DefaultPoolsV6 { get; init; } = [IPNetwork.Parse("fd5a:7e1d:d1b0::/48")];

    public int DefaultPrefixV4 { get; init; } = 24;

    public int DefaultPrefixV6 { get; init; } = 64;

    /// <summary>How often a compare-and-set on a shared record is retried before giving up with <see cref="IpamContentionException"/>.</summary>
    public int CasAttempts { get; init; } = 20;

    /// <summary>
    /// IPv6 dynamic addresses come from the first this-many addresses of the pool (or <c>--ip-range</c>),
    /// after the subnet-router anycast address: a 2^64 space is never scanned. Explicit addresses may be anywhere.
    /// </summary>
    public int V6DynamicRange { get; init; } = 65536;

    /// <summary>
    /// Set when the Host answers GetCapabilities with <c>RequiresMACAddress: true</c>: Docker then sends every
    /// endpoint RequestAddress with a MAC option (v29+ also with the endpoint name), so an explicit address
    /// with neither is surely an <c>--aux-address</c>, shared by every host and kept until the pool goes.
    /// When false (the default), such a request may be a pre-v29 <c>--ip</c>, so it is taken as an endpoint
    /// address owned by this host: never a cross-host duplicate, but a network with <c>--aux-address</c>
    /// then cannot be replicated to a second host (its aux request is refused as in use).
    /// </summary>
    public bool EndpointRequestsCarryMac { get; init; }

    /// <summary>
    /// Where an invalid IPAM record (a junk key under a pool's addresses, a malformed pool or index) is reported: the
    /// host passes its invalid-record log, so it is logged once, counted in <c>dnp status</c> and shown by <c>dnp doctor</c>.
    /// Null: only the IPAM's own warning.
    /// </summary>
    public IInvalidRecordSink? InvalidRecords { get; init; }
}
