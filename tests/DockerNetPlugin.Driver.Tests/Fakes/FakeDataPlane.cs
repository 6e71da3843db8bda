using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Peers;
using DockerNetPlugin.Driver.Sandbox;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Driver.Tests.Fakes;

/// <summary>
/// The kernel in memory: host devices, overlay namespaces that survive their sandbox objects (as mounts do), and a
/// check that no two threads change one namespace at once (what the network's kernel gate guarantees).
/// </summary>
internal sealed class FakeDataPlane : IDataPlane
{
    private readonly object _gate = new();
    private readonly Dictionary<string, FakeNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hostDevices = new(StringComparer.Ordinal);

    // What this plugin's markers would prove it made (namespaces by path, devices by name).
    private readonly HashSet<string> _owned = new(StringComparer.Ordinal);

    public Underlay Underlay { get; init; } = new(IPAddress.Parse("192.0.2.1"), "eth0", 1500);

    public int Opened { get; private set; }

    /// <summary>Set to make the next sandbox build fail as the kernel would refuse it.</summary>
    public bool FailNextOpen { get; set; }

    /// <summary>Set to make the next veth creation fail half-way (the pair is made, then enslaving it is refused).</summary>
    public bool FailNextAttach { get; set; }

    /// <summary>Set to make the next namespace removal fail as the kernel would refuse it (vxlan0 not deleted).</summary>
    public bool FailNextDestroy { get; set; }

    /// <summary>How many of the next deferred veth deletions (<see cref="DeleteVeth"/>) the kernel refuses.</summary>
    public int FailVethDeletes { get; set; }

    /// <summary>Deferred veth deletions that ran (the refused ones included), by overlay-end name, in order.</summary>
    public List<string> VethDeletes { get; } = [];

    /// <summary>Every veth made (+name) and deleted (-name), in the kernel's order.</summary>
    public List<string> VethLog { get; } = [];

    internal void LogVeth(string entry)
    {
        lock (_gate)
            VethLog.Add(entry);
    }

    private readonly Dictionary<string, TaskCompletionSource> _heldDeletes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _startedDeletes = new(StringComparer.Ordinal);

    /// <summary>The deferred deletion of <paramref name="sandboxSide"/> blocks inside the kernel call until <see cref="ReleaseVethDelete"/>.</summary>
    public void HoldVethDelete(string sandboxSide)
    {
        lock (_gate)
        {
            _heldDeletes[sandboxSide] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _startedDeletes[sandboxSide] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Completes once the held deletion of <paramref name="sandboxSide"/> entered the kernel call.</summary>
    public Task VethDeleteStarted(string sandboxSide)
    {
        lock (_gate)
            return _startedDeletes[sandboxSide].Task;
    }

    public void ReleaseVethDelete(string sandboxSide)
    {
        lock (_gate)
            _heldDeletes[sandboxSide].TrySetResult();
    }

    /// <summary>The kernel side of the reaper: its own socket, so it takes no namespace's gate (the devices' lock only).</summary>
    public void DeleteVeth(string sandboxPath, string containerSide, string sandboxSide)
    {
        Task? held;
        lock (_gate)
        {
            VethDeletes.Add(sandboxSide);
            held = _heldDeletes.GetValueOrDefault(sandboxSide)?.Task;
            _startedDeletes.GetValueOrDefault(sandboxSide)?.TrySetResult();
        }
        held?.Wait(TimeSpan.FromSeconds(30));
        lock (_gate)
        {
            if (FailVethDeletes > 0)
            {
                FailVethDeletes--;
                throw new DataPathException($"cannot delete veth {sandboxSide}: injected", null);
            }
        }
        if (Namespace(sandboxPath) is { } ns && ns.Veths.Contains(sandboxSide))
        {
            ns.RemoveVeth(sandboxSide);
            LogVeth("-" + sandboxSide);
        }
        DeleteHostDevice(containerSide);
    }

    public Underlay ResolveUnderlay(string? advertise) => Underlay;

    public ISandbox OpenSandbox(SandboxSpec spec)
    {
        lock (_gate)
        {
            if (FailNextOpen)
            {
                FailNextOpen = false;
                throw new DataPathException($"cannot build overlay namespace {spec.Path}: injected", null);
            }
            Opened++;
            if (!_namespaces.TryGetValue(spec.Path, out var ns))
                _namespaces[spec.Path] = ns = new FakeNamespace(spec);
            _owned.Add(spec.Path);
            ns.Broken = null;
            return new FakeSandbox(this, ns);
        }
    }

    public FakeNamespace? Namespace(string path)
    {
        lock (_gate)
            return _namespaces.GetValueOrDefault(path);
    }

    public IReadOnlyList<FakeNamespace> Namespaces()
    {
        lock (_gate)
            return _namespaces.Values.ToList();
    }

    /// <summary>A namespace left behind: by this plugin (a marker proves it, <paramref name="owned"/>) or by someone else.</summary>
    public void AddStray(string path, SandboxSpec spec, bool owned = true)
    {
        lock (_gate)
        {
            _namespaces[path] = new FakeNamespace(spec);
            if (owned)
                _owned.Add(path);
        }
    }

    public void DeleteSandbox(string path)
    {
        lock (_gate)
        {
            _namespaces.Remove(path);
            _owned.Remove(path);
        }
    }

    public bool OwnsSandbox(string path)
    {
        lock (_gate)
            return _owned.Contains(path);
    }

    public bool OwnsHostDevice(HostDevice device)
    {
        lock (_gate)
            return _owned.Contains("dev:" + device.Name);
    }

    public IReadOnlyList<string> ListSandboxes(string directory)
    {
        lock (_gate)
            return _namespaces.Keys.Where(p => Path.GetDirectoryName(p) == directory).ToList();
    }

    public IReadOnlyList<HostDevice> ListHostDevices()
    {
        lock (_gate)
            return _hostDevices.Select(d => new HostDevice(d, d.StartsWith("vx-", StringComparison.Ordinal) ? 99 : null)).ToList();
    }

    public bool HasHostDevice(string name)
    {
        lock (_gate)
            return _hostDevices.Contains(name);
    }

    /// <summary>A device in the host namespace: made by this plugin (a marker proves it, <paramref name="owned"/>) or by someone else (Docker's vx-…).</summary>
    public void AddHostDevice(string name, bool owned = true)
    {
        lock (_gate)
        {
            _hostDevices.Add(name);
            if (owned)
                _owned.Add("dev:" + name);
        }
    }

    /// <summary>The address the host namespace's resolver was put on, if any.</summary>
    public IPAddress? HostResolverAddress { get; private set; }

    /// <summary>Records the address; the sockets are real, on loopback and an ephemeral port (nothing in the fake namespaces listens).</summary>
    public Driver.Names.ResolverSockets OpenHostResolver(IPAddress address)
    {
        HostResolverAddress = address;
        return Driver.Names.ResolverSockets.Bind(IPAddress.Loopback, 0);
    }

    public void DeleteHostDevice(string name)
    {
        lock (_gate)
        {
            _hostDevices.Remove(name);
            _owned.Remove("dev:" + name);
        }
    }

    public void Dispose()
    {
    }

    internal void Destroyed(FakeNamespace ns)
    {
        lock (_gate)
            _namespaces.Remove(ns.Spec.Path);
    }
}

/// <summary>One overlay namespace's contents.</summary>
internal sealed class FakeNamespace(SandboxSpec spec)
{
    private int _inside;
    private readonly HashSet<string> _veths = new(StringComparer.Ordinal);

    public SandboxSpec Spec { get; } = spec;

    /// <summary>The veth ends in the namespace (a copy: the reaper changes them without the namespace's gate).</summary>
    public IReadOnlySet<string> Veths
    {
        get
        {
            lock (_veths)
                return _veths.ToHashSet(StringComparer.Ordinal);
        }
    }

    public void AddVeth(string name)
    {
        lock (_veths)
            _veths.Add(name);
    }

    public void RemoveVeth(string name)
    {
        lock (_veths)
            _veths.Remove(name);
    }
    public HashSet<NeighbourEntry> Neighbours { get; } = [];
    public HashSet<FdbTarget> Fdb { get; } = [];

    /// <summary>The flood list: VTEPs of the zero-MAC entry's remotes.</summary>
    public HashSet<IPAddress> Flood { get; } = [];
    public string? Broken { get; set; }
    public int Batches { get; set; }

    /// <summary>The resolver address put on br0, while the namespace exists.</summary>
    public IPAddress? ResolverAddress { get; set; }

    /// <summary>Set when two threads were inside this namespace's kernel calls at once.</summary>
    public bool ConcurrentUse { get; private set; }

    public Action<NeighborMiss>? Miss { get; set; }

    public T Use<T>(Func<T> call)
    {
        if (Interlocked.Increment(ref _inside) > 1)
            ConcurrentUse = true;
        try
        {
            Thread.SpinWait(50);
            return call();
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public bool HasPeer(IPAddress ip, PhysicalAddress mac, IPAddress vtep) =>
        Use(() => Neighbours.Contains(new NeighbourEntry(ip, mac)) && Fdb.Contains(new FdbTarget(mac, vtep)));
}

internal sealed class FakeSandbox(FakeDataPlane plane, FakeNamespace ns) : ISandbox
{
    public SandboxSpec Spec => ns.Spec;

    public void AttachEndpoint(string containerSide, string sandboxSide, PhysicalAddress mac) => ns.Use(() =>
    {
        if (!ns.Veths.Contains(sandboxSide))
            plane.LogVeth("+" + sandboxSide);
        ns.AddVeth(sandboxSide);
        plane.AddHostDevice(containerSide);
        if (plane.FailNextAttach)
        {
            plane.FailNextAttach = false;
            throw new DataPathException($"cannot create veth pair {containerSide}/{sandboxSide}: injected after the pair was made", null);
        }
        return 0;
    });

    public void DetachEndpoint(string containerSide, string sandboxSide) => ns.Use(() =>
    {
        if (ns.Veths.Contains(sandboxSide))
            plane.LogVeth("-" + sandboxSide);
        ns.RemoveVeth(sandboxSide);
        plane.DeleteHostDevice(containerSide);
        return 0;
    });

    public bool HasEndpoint(string sandboxSide) => ns.Use(() => ns.Veths.Contains(sandboxSide));

    public IReadOnlyList<string> EndpointDevices() => ns.Use(() => ns.Veths.ToList());

    public string? Problem() => ns.Broken;

    public PeerEntries ReadPeers() => ns.Use(() => new PeerEntries(ns.Neighbours.ToList(), ns.Fdb.ToList(), ns.Flood.ToList()));

    public void Apply(PeerBatch batch) => ns.Use(() =>
    {
        ns.Batches++;
        foreach (var n in batch.RemoveNeighbours)
            ns.Neighbours.RemoveWhere(e => e.Ip.Equals(n.Ip));
        foreach (var f in batch.RemoveFdb)
            ns.Fdb.Remove(f);
        foreach (var v in batch.RemoveFlood)
            ns.Flood.Remove(v);
        foreach (var v in batch.AddFlood)
            ns.Flood.Add(v);
        foreach (var n in batch.AddNeighbours)
        {
            ns.Neighbours.RemoveWhere(e => e.Ip.Equals(n.Ip));
            ns.Neighbours.Add(n);
        }
        foreach (var f in batch.AddFdb)
        {
            ns.Fdb.RemoveWhere(e => e.Mac.Equals(f.Mac));
            ns.Fdb.Add(f);
        }
        return 0;
    });

    public Driver.Names.ResolverSockets OpenResolver(IPAddress address) => ns.Use(() =>
    {
        ns.ResolverAddress = address;
        return Driver.Names.ResolverSockets.Bind(IPAddress.Loopback, 0);
    });

    public void OnMiss(Action<NeighborMiss> answer) => ns.Miss = answer;

    public void Close() => ns.Miss = null;

    public void Destroy()
    {
        if (plane.FailNextDestroy)
        {
            plane.FailNextDestroy = false;
            throw new DataPathException($"cannot delete vxlan0 in {ns.Spec.Path}: injected", null);
        }
        Close();
        plane.Destroyed(ns);
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
