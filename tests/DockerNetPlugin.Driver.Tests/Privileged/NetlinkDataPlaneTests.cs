using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Peers;
using DockerNetPlugin.Driver.Sandbox;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Tests.Privileged;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests.Privileged;

/// <summary>
/// The netlink data plane against the real kernel, entirely inside throwaway namespaces: a "host" namespace with an
/// underlay bridge stands in for the host. Namespaces are mounted in /run/netns (already a shared mount) under names
/// with this run's random marker; every one is removed at the end, also on failure.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class NetlinkDataPlaneTests : IDisposable
{
    private const string Directory = "/run/netns";
    private readonly string _marker = "dnpd" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
    private readonly List<string> _namespaces = [];

    [PrivilegedFact]
    public void Sandbox_BuildAttachProgramReadAndDestroy_InThrowawayNamespaces()
    {
        var hostPath = Path.Combine(Directory, _marker + "-host");
        _namespaces.Add(hostPath);
        using var hostNs = NetNs.Create(hostPath);
        using var plane = NetlinkDataPlane.Over(RtnlHandle.OpenIn(hostNs), NullLogger.Instance);
        using (var setup = RtnlHandle.OpenIn(hostNs))
        {
            var underlay = setup.BridgeAdd("ul0", 1500);
            setup.AddressAdd(underlay, IPAddress.Parse("192.0.2.1"), 24);
            setup.LinkSetUp(underlay);
        }
        Assert.Equal(1450, plane.ResolveUnderlay("192.0.2.1").OverlayMtu);
        Assert.Equal("ul0", plane.ResolveUnderlay("ul0").InterfaceName);
        Assert.Throws<DriverException>(() => plane.ResolveUnderlay("198.51.100.1"));
        Assert.Throws<DriverException>(() => plane.ResolveUnderlay("nosuchdev"));

        var spec = new SandboxSpec(Path.Combine(Directory, "dnp-" + _marker), "testnet", 4242, 4789, 1450, [InterfaceAddress.Parse("10.40.0.1/24", "gw")]);
        _namespaces.Add(spec.Path);
        var sandbox = plane.OpenSandbox(spec);
        try
        {
            Assert.Null(sandbox.Problem());
            Assert.Equal([spec.Path], plane.ListSandboxes(Directory).Where(p => p == spec.Path));
            sandbox.OnMiss(_ => { });

            var mac = PhysicalAddress.Parse("02-42-0A-28-00-02");
            sandbox.AttachEndpoint("dnpctest1", "vethtest1", mac);
            sandbox.AttachEndpoint("dnpctest1", "vethtest1", mac); // repeated Join: kept
            Assert.True(sandbox.HasEndpoint("vethtest1"));
            Assert.Contains(plane.ListHostDevices(), d => d.Name == "dnpctest1");

            var remote = PhysicalAddress.Parse("02-42-0A-28-00-09");
            var vtep = IPAddress.Parse("192.0.2.2");
            var desired = new PeerEntries([new NeighbourEntry(IPAddress.Parse("10.40.0.9"), remote)], [new FdbTarget(remote, vtep)]);
            sandbox.Apply(PeerProjection.Difference(desired, PeerEntries.Empty));
            var read = sandbox.ReadPeers();
            Assert.Equal(desired.Neighbours, read.Neighbours);
            Assert.Equal(desired.Fdb, read.Fdb);
            sandbox.Apply(PeerProjection.Difference(PeerEntries.Empty, read));
            sandbox.Apply(PeerProjection.Difference(PeerEntries.Empty, read)); // already gone: fine
            Assert.Empty(sandbox.ReadPeers().Neighbours);

            // Re-opening finds what was built (a restarted plugin).
            sandbox.Close();
            sandbox = plane.OpenSandbox(spec);
            Assert.Null(sandbox.Problem());
            Assert.True(sandbox.HasEndpoint("vethtest1"));

            // The same namespace as a multicast network: br0 stops snooping, flood entries go in and out one remote each.
            sandbox.Close();
            sandbox = plane.OpenSandbox(spec with { Multicast = true });
            Assert.Null(sandbox.Problem());
            var flood = new PeerEntries([], [], [vtep, IPAddress.Parse("192.0.2.3")]);
            sandbox.Apply(PeerProjection.Difference(flood, PeerEntries.Empty));
            Assert.Equal(flood.Flood, sandbox.ReadPeers().Flood);
            Assert.Empty(sandbox.ReadPeers().Fdb);
            sandbox.Apply(PeerProjection.Difference(new PeerEntries([], [], [vtep]), sandbox.ReadPeers()));
            Assert.Equal([vtep], sandbox.ReadPeers().Flood);

            // The reaper's deletion: its own socket in the namespace, beside the open sandbox (which keeps working).
            sandbox.AttachEndpoint("dnpctest2", "vethtest2", PhysicalAddress.Parse("02-42-0A-28-00-03"));
            Assert.Equal(["vethtest1", "vethtest2"], sandbox.EndpointDevices().Order(StringComparer.Ordinal));
            plane.DeleteVeth(spec.Path, "dnpctest2", "vethtest2");
            Assert.Equal(["vethtest1"], sandbox.EndpointDevices());
            Assert.DoesNotContain(plane.ListHostDevices(), d => d.Name == "dnpctest2");
            plane.DeleteVeth(spec.Path, "dnpctest2", "vethtest2"); // already gone: fine
            plane.DeleteVeth(Path.Combine(Directory, "dnp-" + _marker + "x"), "dnpctest3", "vethtest3"); // no such namespace: fine
            Assert.True(sandbox.HasEndpoint("vethtest1"));

            sandbox.DetachEndpoint("dnpctest1", "vethtest1");
            Assert.False(sandbox.HasEndpoint("vethtest1"));
            Assert.DoesNotContain(plane.ListHostDevices(), d => d.Name == "dnpctest1");
            plane.DeleteHostDevice("dnpctest1"); // missing: fine
        }
        finally
        {
            sandbox.Destroy();
        }
        Assert.False(NetNs.Exists(spec.Path));
        plane.DeleteSandbox(spec.Path); // missing: fine
    }

    public void Dispose()
    {
        foreach (var path in _namespaces.Where(NetNs.Exists))
            NetNs.Delete(path);
    }
}
