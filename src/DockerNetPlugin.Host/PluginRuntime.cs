using System.Diagnostics;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Ipam;
using DockerNetPlugin.Replication;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Host;

/// <summary>
/// The driver and IPAM behind the socket. The socket is bound first (Docker gives a managed plugin about 12 s);
/// this starts them in the background, retrying with backoff while the store is unreachable. Calls wait for it
/// within their own deadline.
/// </summary>
internal sealed class PluginRuntime : IAsyncDisposable
{
    private readonly HostSettings _settings;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<(OverlayDriver Driver, IpamService Ipam)> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _starting;
    private IKvStore? _cluster;
    private IKvStore? _local;
    private Engine.DockerEngineClient? _engine;
    private NetworkReplicator? _replicator;
    private Replication.Names.NameService? _names;
    private Driver.Reconcile.Reconciler? _reconciler;
    private string? _lastError;

    public PluginRuntime(HostSettings settings, ILoggerFactory loggers)
    {
        _settings = settings;
        _loggers = loggers;
        _logger = loggers.CreateLogger<PluginRuntime>();
    }

    public void Start() => _starting = Task.Run(() => StartAsync(_stop.Token));

    public async Task<OverlayDriver> DriverAsync(CancellationToken ct) => (await WaitAsync(ct).ConfigureAwait(false)).Driver;

    public async Task<IpamService> IpamAsync(CancellationToken ct) => (await WaitAsync(ct).ConfigureAwait(false)).Ipam;

    /// <summary>
    /// Runs an IPAM call within <see cref="HostSettings.StoreCallTimeout"/>: the cluster IPAM cannot answer without the
    /// store, so past the deadline the call fails with an error naming the store, well inside Docker's own timeout.
    /// </summary>
    public Task<T> WithIpamAsync<T>(Func<IpamService, CancellationToken, Task<T>> call, CancellationToken ct) =>
        StoreDeadline.RunAsync(_cluster?.Description ?? "the cluster store", _settings.StoreCallTimeout,
            async bounded => await call(await IpamAsync(bounded).ConfigureAwait(false), bounded).ConfigureAwait(false), ct);

    /// <summary><see cref="WithIpamAsync{T}"/> for a call with no answer (the releases).</summary>
    public Task WithIpamAsync(Func<IpamService, CancellationToken, Task> call, CancellationToken ct) =>
        WithIpamAsync<bool>(async (ipam, bounded) =>
        {
            await call(ipam, bounded).ConfigureAwait(false);
            return true;
        }, ct);

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Names Docker 29 sends with RequestAddress, until CreateEndpoint takes them.</summary>
    public EndpointNameHints NameHints { get; } = new();

    /// <summary>Names across hosts, or null when DNP_DNS_ADDRESS is off.</summary>
    public Replication.Names.NameService? Names => _names;

    /// <summary>The reconciler, once the driver runs (for <c>dnp doctor</c>).</summary>
    public async Task<Driver.Reconcile.Reconciler> ReconcilerAsync(CancellationToken ct)
    {
        await WaitAsync(ct).ConfigureAwait(false);
        return _reconciler!;
    }

    private async Task<(OverlayDriver Driver, IpamService Ipam)> WaitAsync(CancellationToken ct)
    {
        try
        {
            return await _ready.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_ready.Task.IsCompleted)
        {
            throw new NotReadyException($"dnp is still starting: {_lastError ?? "initialising"}");
        }
    }

    private async Task StartAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var hostId = HostIdentity.LoadOrCreate(_settings.StateDirectory);
                _local ??= await Store.Local.FileKvStore.OpenAsync(new Store.Local.FileKvStoreOptions(Path.Combine(_settings.StateDirectory, "local")), _loggers, ct).ConfigureAwait(false);
                _cluster ??= await OpenClusterStoreAsync(ct).ConfigureAwait(false);
                if (_settings.DnsAddress is { } dns)
                    _names ??= new Replication.Names.NameService(dns, _settings.ResolvConf, _loggers);
                var driver = await OverlayDriver.StartAsync(new DriverOptions
                {
                    HostId = hostId,
                    NetnsDirectory = _settings.NetnsDirectory,
                    StateDirectory = _settings.StateDirectory,
                    Advertise = _settings.Advertise,
                    VxlanPort = _settings.VxlanPort,
                    Replicate = _settings.Replicate,
                    VxlanGuard = _settings.VxlanGuard,
                    KeyLayout = _settings.KeyLayout,
                    LeaseTtl = _settings.LeaseTtl,
                    StopGrace = _settings.StopGrace,
                    ProbePort = _settings.ProbePort,
                    StoreCallTimeout = _settings.StoreCallTimeout,
                    NetnsGrace = _settings.NetnsGrace,
                }, _cluster, _local, _loggers, ct, _names?.Resolvers).ConfigureAwait(false);
                var ipam = new IpamService(_cluster, new IpamOptions(hostId) { InvalidRecords = driver.InvalidRecords }, _loggers.CreateLogger<IpamService>());
                _engine = new Engine.DockerEngineClient(_settings.DockerHost, logger: _loggers.CreateLogger<Engine.DockerEngineClient>());
                if (_settings.Replicate)
                    StartReplication(driver, _engine);
                _names?.Start(driver, _engine);
                List<Driver.Reconcile.IDriftCheck> checks = [new AddressLeakCheck(ipam, _engine, driver)];
                if (_names is not null)
                    checks.Add(_names.DriftCheck);
                _reconciler = new Driver.Reconcile.Reconciler(driver, new DockerView(_engine), _loggers.CreateLogger<Driver.Reconcile.Reconciler>(), checks);
                _reconciler.Start(_settings.ReconcileInterval);
                _ready.TrySetResult((driver, ipam));
                HostLog.Ready(_logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) // whatever it is (a bad store record included), start-up retries; it never ends silently
            {
                _lastError = e.Message;
                HostLog.InitFailed(_logger, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
            }
        }
    }

    /// <summary>Networks created on any host appear on this one (and back) through this host's Engine API.</summary>
    private void StartReplication(OverlayDriver driver, Engine.IDockerEngine engine)
    {
        _replicator = new NetworkReplicator(driver, engine, _loggers.CreateLogger<NetworkReplicator>());
        _replicator.Start();
    }

    /// <summary>The cluster store DNP_STORE names (file://, etcd://, consul://), with the process environment for credentials.</summary>
    private Task<IKvStore> OpenClusterStoreAsync(CancellationToken ct)
    {
        var environment = new System.Collections.Hashtable(Environment.GetEnvironmentVariables())
        {
            [StoreConnection.EnvironmentVariable] = _settings.Store,
        };
        return StoreFactory.OpenFromEnvironmentAsync(environment, _loggers, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_starting is not null)
        {
            try
            {
                await _starting.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        if (_reconciler is not null)
            await _reconciler.DisposeAsync().ConfigureAwait(false);
        if (_replicator is not null)
            await _replicator.DisposeAsync().ConfigureAwait(false);
        if (_names is not null)
            await _names.DisposeAsync().ConfigureAwait(false);
        _engine?.Dispose();
        if (_ready.Task.IsCompletedSuccessfully)
            await _ready.Task.Result.Driver.DisposeAsync().ConfigureAwait(false);
        if (_cluster is not null)
            await _cluster.DisposeAsync().ConfigureAwait(false);
        if (_local is not null)
            await _local.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>A call arrived before the driver finished starting (or while the store stays unreachable).</summary>
internal sealed class NotReadyException : DriverException
{
    public NotReadyException(string message) : base(message) { }
}
