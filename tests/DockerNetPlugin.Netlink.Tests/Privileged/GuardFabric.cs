using System.Net;
using System.Net.Sockets;
using System.Text;
using DockerNetPlugin.Netlink.Nftables;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>
/// Three throwaway namespaces on one underlay: Guarded holds bridge fab0 (10.99.0.1/24, fd99::1/64) and the guard;
/// Peer (.2 / ::2) and Stranger (.3 / ::3) each hang on it by a veth. Everything lives and dies with the namespaces,
/// also when a test fails half-way.
/// </summary>
internal sealed class GuardFabric : IDisposable
{
    internal static readonly IPAddress Guarded4 = IPAddress.Parse("10.99.0.1");
    internal static readonly IPAddress Peer4 = IPAddress.Parse("10.99.0.2");
    internal static readonly IPAddress Stranger4 = IPAddress.Parse("10.99.0.3");
    internal static readonly IPAddress Guarded6 = IPAddress.Parse("fd99::1");
    internal static readonly IPAddress Peer6 = IPAddress.Parse("fd99::2");
    internal static readonly IPAddress Stranger6 = IPAddress.Parse("fd99::3");

    private readonly List<IDisposable> _owned = [];

    internal GuardFabric()
    {
        try
        {
            Guarded = Own(new TestNamespace("grd"));
            Peer = Own(new TestNamespace("peer"));
            Stranger = Own(new TestNamespace("strg"));
            var bridge = Guarded.Rtnl.BridgeAdd("fab0");
            Guarded.Rtnl.AddressAdd(bridge, Guarded4, 24);
            Guarded.Rtnl.AddressAdd(bridge, Guarded6, 64);
            Guarded.Rtnl.LinkSetUp(bridge);
            Attach(Peer, "fpeer", bridge, Peer4, Peer6);
            Attach(Stranger, "fstrg", bridge, Stranger4, Stranger6);
            Nft = Own(NftHandle.OpenIn(Guarded.Ns));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    internal TestNamespace Guarded { get; } = null!;

    internal TestNamespace Peer { get; } = null!;

    internal TestNamespace Stranger { get; } = null!;

    internal NftHandle Nft { get; } = null!;

    /// <summary>`nft ARGS...` inside the guarded namespace (observation, or standing in for another owner's tables).</summary>
    internal string NftTool(params string[] arguments) => Tool.Run("ip", ["netns", "exec", Guarded.Name, "nft", .. arguments]);

    /// <summary>A UDP socket created inside <paramref name="ns"/> (it stays bound to that namespace), optionally bound.</summary>
    internal static Socket Udp(TestNamespace ns, AddressFamily family, int bindPort = 0)
    {
        var socket = ns.Ns.Run(() =>
        {
            var s = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, bindPort));
            return s;
        });
        socket.ReceiveTimeout = 10_000;
        return socket;
    }

    /// <summary>`nft list table inet dnp_vxlan_guard` (or one of its sets) in the guarded namespace.</summary>
    internal string ListGuard(string? set = null) => set is null
        ? NftTool("list", "table", "inet", VxlanGuardTable.DefaultTableName)
        : NftTool("list", "set", "inet", VxlanGuardTable.DefaultTableName, set);

    /// <summary>Sends one datagram of <paramref name="text"/> from a fresh socket inside <paramref name="from"/>.</summary>
    internal static void SendUdp(TestNamespace from, IPAddress to, int port, string text)
    {
        using var sender = Udp(from, to.AddressFamily);
        sender.SendTo(Encoding.ASCII.GetBytes(text), new IPEndPoint(to, port));
    }

    /// <summary>Receives one datagram (the socket's timeout applies): its text and source address.</summary>
    internal static (string Text, IPAddress From) Receive(Socket socket)
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        var n = socket.ReceiveFrom(buffer, ref from);
        return (Encoding.ASCII.GetString(buffer, 0, n), ((IPEndPoint)from).Address);
    }

    /// <summary>Waits (never asserts on time) until <paramref name="condition"/> holds or 10 s passed; returns whether it held.</summary>
    internal static bool Eventually(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    private void Attach(TestNamespace ns, string hostEnd, int bridge, IPAddress v4, IPAddress v6)
    {
        var (index, _) = Guarded.Rtnl.VethAdd(hostEnd, "eth0", peerNamespace: ns.Ns);
        Guarded.Rtnl.LinkSetMaster(index, bridge);
        Guarded.Rtnl.LinkSetUp(index);
        var eth0 = ns.Rtnl.LinkByName("eth0")!.Index;
        ns.Rtnl.AddressAdd(eth0, v4, 24);
        ns.Rtnl.AddressAdd(eth0, v6, 64);
        ns.Rtnl.LinkSetUp(eth0);
        ns.Rtnl.LinkSetUp(ns.Rtnl.LinkByName("lo")!.Index);
    }
}
