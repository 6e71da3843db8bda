using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Driver.Tests.Fakes;

/// <summary>
/// Docker's Engine API in memory, for what the names learner reads: network inspect (endpoint → container), container
/// inspect (names and aliases per network) and the events stream. Tests attach containers to endpoints and send events.
/// </summary>
internal sealed class FakeDockerEngine : IDockerEngine
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _networkNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContainerInspect> _containers = new(StringComparer.Ordinal);
    private readonly Channel<DockerEvent> _events = Channel.CreateUnbounded<DockerEvent>();

    public int ContainerInspects { get; private set; }

    public void AddNetwork(string id, string name)
    {
        lock (_gate)
            _networkNames[id] = name;
    }

    /// <summary>Puts container <paramref name="id"/> named <paramref name="name"/> on <paramref name="network"/> through <paramref name="endpointId"/>.</summary>
    public void Attach(string id, string name, string network, string endpointId, params string[] aliases)
    {
        lock (_gate)
        {
            var networks = _containers.TryGetValue(id, out var c) ? new Dictionary<string, ContainerEndpoint>(c.NetworkSettings!.Networks!) : [];
            networks[_networkNames[network]] = new ContainerEndpoint { NetworkId = network, EndpointId = endpointId, Aliases = aliases };
            _containers[id] = new ContainerInspect { Id = id, Name = "/" + name, NetworkSettings = new ContainerNetworkSettings { Networks = networks } };
        }
    }

    public void Rename(string id, string newName)
    {
        lock (_gate)
            _containers[id] = _containers[id] with { Name = "/" + newName };
        _events.Writer.TryWrite(new DockerEvent { Type = "container", Action = "rename", Actor = new EventActor { Id = id, Attributes = new Dictionary<string, string> { ["name"] = newName } } });
    }

    public void SendConnect(string network, string containerId) =>
        _events.Writer.TryWrite(new DockerEvent { Type = "network", Action = "connect", Actor = new EventActor { Id = network, Attributes = new Dictionary<string, string> { ["container"] = containerId } } });

    public Task<DockerNetwork?> InspectNetworkAsync(string idOrName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_networkNames.TryGetValue(idOrName, out var name))
                return Task.FromResult<DockerNetwork?>(null);
            var containers = _containers.Values
                .SelectMany(c => c.NetworkSettings!.Networks!.Values.Where(e => e.NetworkId == idOrName).Select(e => (c, e)))
                .ToDictionary(x => x.c.Id, x => new NetworkContainer { Name = x.c.ContainerName, EndpointId = x.e.EndpointId });
            return Task.FromResult<DockerNetwork?>(new DockerNetwork { Id = idOrName, Name = name, Driver = "dnp", Containers = containers });
        }
    }

    public Task<ContainerInspect?> InspectContainerAsync(string idOrName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ContainerInspects++;
            return Task.FromResult(_containers.GetValueOrDefault(idOrName));
        }
    }

    public async IAsyncEnumerable<DockerEvent> StreamEventsAsync(EventFilter filter, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var ev in _events.Reader.ReadAllAsync(cancellationToken))
            yield return ev;
    }

    public Task<EnginePing> PingAsync(CancellationToken cancellationToken) => Task.FromResult(new EnginePing("1.41", "1.41", "linux"));

    public Task<IReadOnlyList<DockerNetwork>> ListNetworksAsync(IReadOnlyDictionary<string, string[]>? filters, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<DockerContainer>> ListContainersAsync(bool all, IReadOnlyDictionary<string, string[]>? filters, CancellationToken cancellationToken) => throw new NotSupportedException();
}
