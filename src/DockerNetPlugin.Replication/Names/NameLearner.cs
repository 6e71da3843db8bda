using System.Diagnostics;
using System.Threading.Channels;
using DockerNetPlugin.Dns;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Engine;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Replication.Names;

/// <summary>
/// Learns the names of this host's joined endpoints from the Engine API and sets them on the driver, which publishes
/// them with the endpoint records. Never inside a plugin call: Docker holds its own locks while it calls the plugin,
/// and an Engine call from there deadlocks (at daemon boot above all). Three triggers, all queued: a Join (Docker's
/// network inspect maps the endpoint to its container once Docker lists it), Docker's events (network connect, also
/// sent when a container starts, and container rename), and a periodic pass for endpoints still without names (lost
/// events, Docker unreachable for a while). Disconnect and removal need nothing here: Leave withdraws the record.
/// </summary>
public sealed class NameLearner : IAsyncDisposable
{
    /// <summary>
    /// When, after a Join, the learner asks Docker again whether it lists the endpoint on a container: every 10 ms for the
    /// first 2 s (Docker lists it as the container start finishes, and the name should answer elsewhere right after
    /// <c>docker run -d</c> returns; a network inspect is cheap), then every 250 ms up to 10 s, then the periodic pass.
    /// </summary>
    private static readonly TimeSpan[] s_joinRetries =
        [TimeSpan.Zero, .. Enumerable.Repeat(TimeSpan.FromMilliseconds(10), 200), .. Enumerable.Repeat(TimeSpan.FromMilliseconds(250), 32)];

    private readonly OverlayDriver _driver;
    private readonly IDockerEngine _engine;
    private readonly NameTable _table;
    private readonly ILogger _logger;
    private readonly TimeSpan _period;
    private readonly Channel<string> _containers = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private string? _eventsError;

    public NameLearner(OverlayDriver driver, IDockerEngine engine, NameTable table, ILogger logger, TimeSpan? period = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(table);
        _driver = driver;
        _engine = engine;
        _table = table;
        _logger = logger;
        _period = period ?? TimeSpan.FromSeconds(5);
    }

    /// <summary>The driver whose endpoints this learner names.</summary>
    public OverlayDriver Driver => _driver;

    public void Start()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        _driver.EndpointJoined += OnJoined;
        _loops.Add(Task.Run(() => ContainerLoopAsync(_stop.Token)));
        _loops.Add(Task.Run(() => EventsLoopAsync(since, _stop.Token)));
        _loops.Add(Task.Run(() => PeriodicLoopAsync(_stop.Token)));
    }

    /// <summary>Raised inside Join: only start a task, never wait for Docker here.</summary>
    private void OnJoined(string dockerNetworkId, string endpointId) =>
        _ = Task.Run(() => LearnJoinedAsync(dockerNetworkId, endpointId, _stop.Token));

    /// <summary>
    /// The names Docker gives the endpoint <paramref name="endpointId"/> of network <paramref name="dockerNetworkId"/>, or
    /// null when Docker does not list it (yet) on a container.
    /// </summary>
    public async Task<EndpointNames?> DockerNamesAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        var network = await _engine.InspectNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false);
        if (network?.FindContainerByEndpoint(endpointId) is not { } found)
            return null;
        var container = await _engine.InspectContainerAsync(found.ContainerId, ct).ConfigureAwait(false);
        return container?.EndpointOn(dockerNetworkId) is { } on && on.Endpoint.EndpointId == endpointId ? NamesOf(container, on.Endpoint) : null;
    }

    /// <summary>
    /// Learn every name of container <paramref name="containerId"/> on this host's dnp networks and set them on the
    /// driver; returns how many endpoints changed.
    /// </summary>
    public async Task<int> LearnContainerAsync(string containerId, string reason, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var container = await _engine.InspectContainerAsync(containerId, ct).ConfigureAwait(false);
        if (container is null)
            return 0; // removed meanwhile: its Leave withdraws the records
        var joined = _driver.JoinedEndpoints().ToDictionary(e => (e.DockerNetworkId, e.EndpointId));
        var changed = 0;
        foreach (var (networkName, endpoint) in container.NetworkSettings?.Networks ?? new Dictionary<string, ContainerEndpoint>())
        {
            if (endpoint.NetworkId is not { } networkId || endpoint.EndpointId is not { } endpointId || !joined.TryGetValue((networkId, endpointId), out var mine))
                continue;
            if (_table.GetNetworkName(mine.LogicalId) != networkName)
                _table.SetNetwork(mine.LogicalId, networkName);
            if (NamesOf(container, endpoint) is { } names && await _driver.SetEndpointNamesAsync(networkId, endpointId, names, republish: false, ct).ConfigureAwait(false))
                changed++;
        }
        if (changed > 0)
            NamesLog.Learned(_logger, container.ContainerName ?? containerId, Stopwatch.GetElapsedTime(started).TotalMilliseconds, reason, changed);
        return changed;
    }

    /// <summary>The endpoint's names as Docker answers them (DNSNames on 25+, else the name and Aliases); null if not servable.</summary>
    private EndpointNames? NamesOf(ContainerInspect container, ContainerEndpoint endpoint)
    {
        var name = container.ContainerName;
        if (string.IsNullOrEmpty(name))
            return null;
        var all = endpoint.NamesFor(name);
        var names = new EndpointNames(container.Id, name, all.Where(n => n != name).ToList());
        if (names.All().FirstOrDefault(n => !NameRecord.IsServableName(n)) is { } bad)
        {
            NamesLog.NamesRejected(_logger, endpoint.EndpointId ?? "?", $"'{bad}' is not a DNS name");
            return null;
        }
        return names;
    }

    private async Task LearnJoinedAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        string? lastError = null;
        foreach (var delay in s_joinRetries)
        {
            try
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
                waited += delay;
                if (!_driver.JoinedEndpoints().Any(e => e.DockerNetworkId == dockerNetworkId && e.EndpointId == endpointId && (e.Names?.IsProvisional ?? true)))
                    return; // learned meanwhile (the connect event), or left
                var network = await _engine.InspectNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false);
                if (network?.FindContainerByEndpoint(endpointId) is { } found)
                {
                    await LearnContainerAsync(found.ContainerId, "join", ct).ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsTransient(e))
            {
                if (e.Message != lastError)
                    NamesLog.LearnFailed(_logger, "join", e.Message); // once per distinct error, not per retry
                lastError = e.Message;
            }
        }
        NamesLog.JoinNotListed(_logger, endpointId, dockerNetworkId, waited.TotalSeconds);
    }

    private async Task ContainerLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var containerId in _containers.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await LearnContainerAsync(containerId, "event", ct).ConfigureAwait(false);
                }
                catch (Exception e) when (IsTransient(e))
                {
                    NamesLog.LearnFailed(_logger, "event", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Docker's network connect (also on container start) and container rename events queue the container.</summary>
    private async Task EventsLoopAsync(DateTimeOffset since, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var ev in _engine.StreamEventsAsync(EventFilter.NameChanges, since, ct).ConfigureAwait(false))
                {
                    _eventsError = null;
                    delay = TimeSpan.FromSeconds(1);
                    if (ev.Time > 0)
                        since = DateTimeOffset.FromUnixTimeSeconds(ev.Time);
                    var relevant = (ev.Type, ev.Action) switch
                    {
                        ("network", "connect") => ev.NetworkId is { } id && _driver.LocalNetworks().Any(n => n.DockerNetworkId == id),
                        ("container", "rename") => true,
                        _ => false,
                    };
                    if (relevant && ev.ContainerId is { } container)
                        _containers.Writer.TryWrite(container);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsTransient(e))
            {
                if (_eventsError != e.Message)
                {
                    _eventsError = e.Message;
                    NamesLog.EventsFailed(_logger, e.Message);
                }
            }
            try
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
        }
    }

    private async Task PeriodicLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_period);
        try
        {
            do
            {
                try
                {
                    await LearnMissingAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (IsTransient(e))
                {
                    NamesLog.LearnFailed(_logger, "periodic", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Every joined endpoint still without learned names, one network inspect per network; and each local network's name.</summary>
    public async Task LearnMissingAsync(CancellationToken ct)
    {
        var joined = _driver.JoinedEndpoints();
        foreach (var network in joined.GroupBy(e => e.DockerNetworkId))
        {
            var missing = network.Where(e => e.Names?.IsProvisional ?? true).ToList();
            if (missing.Count == 0 && _table.GetNetworkName(network.First().LogicalId) is not null)
                continue;
            var docker = await _engine.InspectNetworkAsync(network.Key, ct).ConfigureAwait(false);
            if (docker is null)
                continue;
            if (_table.GetNetworkName(network.First().LogicalId) != docker.Name && !string.IsNullOrEmpty(docker.Name))
                _table.SetNetwork(network.First().LogicalId, docker.Name);
            foreach (var endpoint in missing)
            {
                if (docker.FindContainerByEndpoint(endpoint.EndpointId) is { } found)
                    await LearnContainerAsync(found.ContainerId, "periodic", ct).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception e) => e is DockerEngineException or HttpRequestException or IOException or StoreException or DriverException;

    public async ValueTask DisposeAsync()
    {
        _driver.EndpointJoined -= OnJoined;
        await _stop.CancelAsync().ConfigureAwait(false);
        _containers.Writer.TryComplete();
        foreach (var loop in _loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }
}
