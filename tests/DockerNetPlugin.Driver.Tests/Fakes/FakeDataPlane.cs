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

    public Underlay Underlay { get; init; } = new(IPAddress.Parse("192.0.2.1"), "eth0", 1500);

    public int Opened { get; private set; }

    /// <summary>Set to make the next sandbox build fail as the kernel would refuse it.</summary>
    public bool FailNextOpen { get; set; }

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

    public void AddStray(string path, SandboxSpec spec)
    {
        lock (_gate)
            _namespaces[path] = new FakeNamespace(spec);
    }

    public void DeleteSandbox(string path)
    {
        lock (_gate)
            _namespaces.Remove(path);
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

    public void AddHostDevice(string name)
    {
        lock (_gate)
            _hostDevices.Add(name);
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
            _hostDevices.Remove(name);
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

    public SandboxSpec Spec { get; } = spec;
    public HashSet<string> Veths { get; } = new(StringComparer.Ordinal);
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
        ns.Veths.Add(sandboxSide);
        plane.AddHostDevice(containerSide);
        return 0;
    });

    public void DetachEndpoint(string containerSide, string sandboxSide) => ns.Use(() =>
    {
        ns.Veths.Remove(sandboxSide);
        plane.DeleteHostDevice(containerSide);
        return 0;
    });

    public bool HasEndpoint(string sandboxSide) => ns.Use(() => ns.Veths.Contains(sandboxSide));

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
        Close();
        plane.Destroyed(ns);
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
