using System.Net;
using DockerNetPlugin.Dns;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Names;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Engine;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Replication.Names;

/// <summary>
/// Names across hosts on one host: the name table, the resolvers the driver binds (<see cref="Resolvers"/>, handed to the
/// driver at start), the sync of the table with every host's endpoint records, the learner of this host's names, and
/// the doctor's check. Created before the driver (which starts resolvers as it restores networks), started after it.
/// </summary>
public sealed class NameService : IAsyncDisposable
{
    /// <summary>The resolver's default address: link-local, so it collides with no overlay subnet and never leaves a host.</summary>
    public static readonly IPAddress DefaultAddress = IPAddress.Parse("169.254.53.53");

    private readonly ILoggerFactory _loggers;
    private readonly NetworkResolvers _resolvers;
    private NameSync? _sync;
    private NameLearner? _learner;

    public NameService(IPAddress address, string resolvConf, ILoggerFactory loggers)
    {
        _loggers = loggers;
        _resolvers = new NetworkResolvers(address, Table, resolvConf, loggers);
    }

    public NameTable Table { get; } = new();

    public IPAddress Address => _resolvers.Address;

    public INetworkResolvers Resolvers => _resolvers;

    public DnsStatistics Statistics => _resolvers.Counters.Snapshot();

    /// <summary>The doctor's check (after <see cref="Start"/>).</summary>
    public IDriftCheck DriftCheck => new NameDriftCheck(_learner!.Driver, _learner);

    /// <summary>Follow the driver's endpoint records and learn this host's names from <paramref name="engine"/>.</summary>
    public void Start(OverlayDriver driver, IDockerEngine engine)
    {
        _sync = new NameSync(Table, _loggers.CreateLogger<NameSync>());
        _sync.Start(driver);
        _learner = new NameLearner(driver, engine, Table, _loggers.CreateLogger<NameLearner>());
        _learner.Start();
    }

    /// <summary>What each network answers (all networks, or those whose Docker name or logical id is <paramref name="network"/>).</summary>
    public IReadOnlyList<NameListing> List(string? network) =>
        Table.GetRecords()
            .Select(r => new NameListing(Table.GetNetworkName(r.NetworkId), r.NetworkId, r.ContainerName, r.Aliases, r.Ipv4?.ToString(), r.Ipv6?.ToString(), r.HostId))
            .Where(l => network is null || l.NetworkName == network || l.LogicalId == network)
            .ToList();

    public async ValueTask DisposeAsync()
    {
        _sync?.Dispose();
        if (_learner is not null)
            await _learner.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One name record as <c>dnp names</c> lists it.</summary>
public sealed record NameListing(string? NetworkName, string LogicalId, string ContainerName, IReadOnlyList<string> Aliases, string? IPv4, string? IPv6, string HostId);
