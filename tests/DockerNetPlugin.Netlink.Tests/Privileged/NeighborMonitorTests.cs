using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>
/// The overlay sandbox of netlink.md §5.2: a sandbox namespace with br0, vxlan0 (proxy l2miss l3miss nolearning)
/// and veth0, plus a container namespace with eth0 10.0.0.2/24. Pings from the container produce the misses.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class NeighborMonitorTests : NamespaceTest
{
    /// <summary>Upper bound for a notification to arrive; a bound against hanging, not a timing assertion.</summary>
    private static readonly TimeSpan NotificationWait = TimeSpan.FromSeconds(20);

    private static readonly PhysicalAddress PeerMac = PhysicalAddress.Parse("02-42-0a-00-00-09");

    public NeighborMonitorTests()
        : base("sbx")
    {
    }

    [PrivilegedFact]
    public async Task ReadAllAsync_PingToUnknownAddress_ReportsL3ThenL2Miss()
    {
        using var container = new TestNamespace("ctr");
        var vxlan = BuildSandbox(container);
        await using var monitor = NeighborMonitor.Open(Ns.Ns);
        using var timeout = new CancellationTokenSource(NotificationWait);
        await using var misses = monitor.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        PingFrom(container, "10.0.0.9");
        var l3 = await NextOf<L3Miss>(misses, m => m.Ip.Equals(IPAddress.Parse("10.0.0.9")));
        Rtnl.NeighborReplace(new Neighbor(vxlan, IPAddress.Parse("10.0.0.9"), PeerMac));
        PingFrom(container, "10.0.0.9");
        var l2 = await NextOf<L2Miss>(misses, m => m.Mac.Equals(PeerMac));

        Assert.Equal(new L3Miss(vxlan, IPAddress.Parse("10.0.0.9")), l3);
        Assert.Equal(new L2Miss(vxlan, PeerMac), l2);
        HostNamespace.AssertCallingThreadInHost();
    }

    [PrivilegedFact]
    public async Task ReadAllAsync_QueueOverflow_ReportsResync()
    {
        var vxlan = Rtnl.VxlanAdd(new VxlanSpec("vxlan0", 42));
        await using var monitor = NeighborMonitor.Open(Ns.Ns, kernelReceiveBuffer: 4096);
        using var timeout = new CancellationTokenSource(NotificationWait);
        await using var misses = monitor.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        Rtnl.NeighborReplaceMany(Enumerable.Range(1, 500)
            .Select(i => new Neighbor(vxlan, new IPAddress(new byte[] { 10, 1, (byte)(i >> 8), (byte)i }), PeerMac)).ToList());

        Assert.IsType<MissResync>(await NextOf<MissResync>(misses));
    }

    [PrivilegedFact]
    public async Task DisposeAsync_WhileReading_EndsTheStream()
    {
        var monitor = NeighborMonitor.Open(Ns.Ns);
        var reading = Task.Run(async () =>
        {
            await foreach (var unused in monitor.ReadAllAsync(CancellationToken.None))
            {
            }
        });

        await monitor.DisposeAsync();

        await reading.WaitAsync(NotificationWait);
        Assert.True(reading.IsCompletedSuccessfully);
    }

    private static void PingFrom(TestNamespace ns, string address) =>
        Tool.TryRun("ip", "netns", "exec", ns.Name, "ping", "-c", "1", "-W", "1", address);

    private static Task<T> NextOf<T>(IAsyncEnumerator<NeighborMiss> misses)
        where T : NeighborMiss => NextOf<T>(misses, _ => true);

    /// <summary>The next miss of type <typeparamref name="T"/> that <paramref name="matches"/>: the kernel also reports misses of its own
    /// (IPv6 neighbour discovery from link-local addresses), which a test must pass over.</summary>
    private static async Task<T> NextOf<T>(IAsyncEnumerator<NeighborMiss> misses, Func<T, bool> matches)
        where T : NeighborMiss
    {
        while (await misses.MoveNextAsync())
        {
            if (misses.Current is T wanted && matches(wanted))
            {
                return wanted;
            }
        }

        throw new InvalidOperationException($"stream ended before a {typeof(T).Name}");
    }

    private int BuildSandbox(TestNamespace container)
    {
        var bridge = Rtnl.BridgeAdd("br0");
        var vxlan = Rtnl.VxlanAdd(new VxlanSpec("vxlan0", 42, Learning: false, Proxy: true, L2Miss: true, L3Miss: true));
        var (veth, _) = Rtnl.VethAdd("veth0", "eth0", peerNamespace: container.Ns);
        foreach (var port in new[] { vxlan, veth })
        {
            Rtnl.LinkSetMaster(port, bridge);
            Rtnl.LinkSetUp(port);
        }

        Rtnl.LinkSetUp(bridge);
        var eth0 = container.Rtnl.LinkByName("eth0")!.Index;
        container.Rtnl.AddressAdd(eth0, IPAddress.Parse("10.0.0.2"), 24);
        container.Rtnl.LinkSetUp(eth0);
        return vxlan;
    }
}
