using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Sandbox;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver;

/// <summary>What every <see cref="OverlayNetwork"/> of this host shares: settings, stores, the lease, the peer table, the kernel and its veth reaper.</summary>
internal sealed record NetworkServices(
    DriverOptions Options,
    RecordStore Local,
    LeaseKeeper Lease,
    EndpointPublisher Publisher,
    PeerTable Peers,
    IDataPlane DataPlane,
    VethReaper Reaper,
    Underlay Underlay,
    ILogger Logger,
    Names.INetworkResolvers? Resolvers = null)
{
    public string SandboxPath(Local.LocalNetwork network) => Path.Combine(Options.NetnsDirectory, network.SandboxName);
}
