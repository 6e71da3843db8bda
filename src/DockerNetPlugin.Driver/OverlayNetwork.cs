using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Sandbox;

namespace DockerNetPlugin.Driver;

/// <summary>
/// One Docker network of this host while the plugin runs: its endpoints, its overlay namespace and the verbs that
/// change them (split by concern: <c>.Endpoints</c>, <c>.Peers</c>, <c>.Reconcile</c>).
/// Lock order: <see cref="LockAsync"/> (per network, async, top; taken through <see cref="OverlayDriver"/>'s
/// identity-checked lookup) before <c>_kernelGate</c> (bottom: held only around synchronous kernel calls). The
/// lease keeper and the stores take no lock of ours, so a store call under the network lock blocks only this network.
/// </summary>
internal sealed partial class OverlayNetwork : IAsyncDisposable
{
    private readonly NetworkServices _services;

    /// <summary>Serialises the protocol calls and reconciliation of this network (top level).</summary>
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Serialises kernel changes to the sandbox: protocol calls, peer updates and misses (bottom level).</summary>
    private readonly object _kernelGate = new();

    /// <summary>This host's endpoints on the network, by endpoint id. Guarded by <see cref="_lock"/>.</summary>
    private readonly Dictionary<string, LocalEndpoint> _endpoints = new(StringComparer.Ordinal);

    /// <summary>A copy of <see cref="_endpoints"/> republished after each change, for readers that take no lock.</summary>
    private LocalEndpoint[] _published = [];

    /// <summary>The overlay namespace while any endpoint is joined. Guarded by <see cref="_kernelGate"/>.</summary>
    private ISandbox? _sandbox;

    /// <summary>The resolver serving inside <see cref="_sandbox"/>, if names are on. Guarded by <see cref="_kernelGate"/>.</summary>
    private IDisposable? _resolver;

    public OverlayNetwork(LocalNetwork network, NetworkServices services)
    {
        Network = network;
        _services = services;
    }

    public LocalNetwork Network { get; }

    public string DockerNetworkId => Network.DockerNetworkId;

    public string LogicalId => Network.LogicalId;

    /// <summary>The endpoints as of the last completed change (no lock needed).</summary>
    public IReadOnlyList<LocalEndpoint> Endpoints => Volatile.Read(ref _published);

    /// <summary>True while the overlay namespace is open.</summary>
    public bool SandboxOpen
    {
        get
        {
            lock (_kernelGate)
                return _sandbox is not null;
        }
    }

    /// <summary>Takes the network's lock; <see cref="OverlayDriver"/> re-checks afterwards that this is still the registered network.</summary>
    public async Task<IDisposable> LockAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        return new Releaser(_lock);
    }

    /// <summary>Adds an endpoint read from the local state dir at start, before the network is reachable by calls.</summary>
    public void Restore(LocalEndpoint endpoint) => SetEndpoint(endpoint);

    /// <summary>
    /// After a restart: re-open the namespace of a network with joined endpoints (existing devices and flows are kept)
    /// and re-announce them under the new lease. The caller holds the lock.
    /// </summary>
    public async Task ReopenAsync(CancellationToken ct)
    {
        RequireLock();
        var joined = _endpoints.Values.Where(e => e.Joined).ToList();
        if (joined.Count == 0)
        {
            ResumeGrace();
            return;
        }
        EnsureSandbox();
        foreach (var endpoint in joined)
            await PublishAsync(endpoint, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// DeleteNetwork's local part: every endpoint out (veth, records), then the namespace. The caller holds the lock.
    /// The task it gives completes once the store took every withdraw or refused a first attempt. Veth deletions still
    /// pending for the network are finished first: once DeleteNetwork returns, nothing of the network is left in the kernel.
    /// </summary>
    public async Task<Task> RemoveAllAsync(CancellationToken ct)
    {
        RequireLock();
        var withdrawn = new List<Task>();
        foreach (var endpoint in _endpoints.Values.ToList())
            withdrawn.Add(await RemoveEndpointAsync(endpoint, ct).ConfigureAwait(false));
        var path = _services.SandboxPath(Network);
        await _services.Reaper.SettleAsync(d => d.SandboxPath == path, ct).ConfigureAwait(false);
        DestroySandbox();
        return Task.WhenAll(withdrawn);
    }

    /// <summary>Build or re-open the network's namespace (taking it out of grace), replaying known peers; true when this call opened it.</summary>
    private bool EnsureSandbox()
    {
        CancelGrace();
        lock (_kernelGate)
        {
            if (_sandbox is not null)
                return false;
            var network = Network;
            var gateways = network.Subnets.Where(s => s.Gateway is not null).Select(s => InterfaceAddress.Parse(s.Gateway!, "gateway")).ToList();
            var spec = new SandboxSpec(_services.SandboxPath(network), network.LogicalId, network.Vni, _services.Options.VxlanPort, network.Mtu, gateways, network.Multicast, _services.Underlay.Locator);
            _sandbox = _services.DataPlane.OpenSandbox(spec);
            _sandbox.OnMiss(AnswerMiss);
            DriverLog.SandboxReady(_services.Logger, network.SandboxName, network.Vni);
            ProgramPeers(_sandbox, Peers.PeerProjection.Difference(Desired(_services.Peers.Of(LogicalId)), Peers.PeerEntries.Empty));
            StartResolver(_sandbox);
            return true;
        }
    }

    /// <summary>
    /// Bind the resolver inside the namespace and hand it to the resolver service. A failure costs names on this network
    /// (logged), never the Join: the data path works without them. The caller holds the kernel gate.
    /// </summary>
    private void StartResolver(ISandbox sandbox)
    {
        if (_services.Resolvers is not { } resolvers || _resolver is not null)
            return;
        try
        {
            var sockets = sandbox.OpenResolver(resolvers.Address);
            _resolver = resolvers.Serve(new Names.ResolverScope(LogicalId, Network.Internal), sockets);
            DriverLog.ResolverStarted(_services.Logger, Network.SandboxName, resolvers.Address.ToString());
        }
        catch (DriverException e)
        {
            DriverLog.ResolverFailed(_services.Logger, Network.SandboxName, e.Message);
        }
    }

    /// <summary>Stop the namespace's resolver and close its sockets. The caller holds the kernel gate.</summary>
    private void StopResolver()
    {
        _resolver?.Dispose();
        _resolver = null;
    }

    /// <summary>
    /// Remove the namespace now. If the kernel refuses, it stays open and counts as a grace that ended (from now if it was
    /// not in grace), so the reconciler removes it once no endpoint holds it.
    /// </summary>
    private void DestroySandbox()
    {
        Interlocked.Exchange(ref _graceTimer, null)?.Cancel();
        lock (_kernelGate)
        {
            if (_sandbox is null)
            {
                Volatile.Write(ref _graceUntilTicks, 0);
                _services.DataPlane.DeleteSandbox(_services.SandboxPath(Network));
                return;
            }
            StopResolver();
            try
            {
                _sandbox.Destroy();
            }
            catch
            {
                if (GraceUntil is null)
                    Volatile.Write(ref _graceUntilTicks, DateTimeOffset.UtcNow.UtcTicks);
                throw;
            }
            _sandbox = null;
        }
        Volatile.Write(ref _graceUntilTicks, 0);
        DriverLog.SandboxRemoved(_services.Logger, Network.SandboxName);
    }

    private void SetEndpoint(LocalEndpoint endpoint)
    {
        _endpoints[endpoint.EndpointId] = endpoint;
        Volatile.Write(ref _published, _endpoints.Values.ToArray());
    }

    private void ForgetEndpoint(string endpointId)
    {
        _endpoints.Remove(endpointId);
        Volatile.Write(ref _published, _endpoints.Values.ToArray());
    }

    /// <summary>The per-network verbs change state the lock guards: calling one without it is a bug, so it fails loudly.</summary>
    private void RequireLock()
    {
        if (_lock.CurrentCount != 0)
            throw new InvalidOperationException($"network {DockerNetworkId}: called without holding its lock");
    }

    /// <summary>Closes the namespace's handles; kernel state stays in place (flows keep running across restarts).</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _graceTimer, null)?.Cancel(); // the namespace stays: a restarted plugin gives it a new grace
        ISandbox? sandbox;
        lock (_kernelGate)
        {
            StopResolver();
            sandbox = _sandbox;
            _sandbox = null;
        }
        if (sandbox is not null)
            await sandbox.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }
}
