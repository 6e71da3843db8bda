using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Sandbox;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Tests.Privileged;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests.Privileged;

/// <summary>
/// Ownership against the real kernel: what the data plane made is proven ours by its marker (namespace inode, device
/// ifindex); a foreign <c>dnp-…</c> namespace, a namespace re-made under our name by someone else, and a Docker-style
/// <c>vx-…</c> device are not. Everything lives in throwaway namespaces and a temp state folder, removed at the end.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class OwnershipMarkersTests : IDisposable
{
    private const string Directory = "/run/netns";
    private readonly string _marker = "dnpo" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
    private readonly string _state = System.IO.Directory.CreateTempSubdirectory("dnp-owned-").FullName;
    private readonly List<string> _namespaces = [];

    [PrivilegedFact]
    public void OnlyWhatTheMarkersProve_IsOurs()
    {
        var hostPath = Path.Combine(Directory, _marker + "-host");
        _namespaces.Add(hostPath);
        using var hostNs = NetNs.Create(hostPath);
        var markers = new OwnershipMarkers(_state, "host-a");
        using var plane = NetlinkDataPlane.Over(RtnlHandle.OpenIn(hostNs), NullLogger.Instance, markers: markers);
        using var setup = RtnlHandle.OpenIn(hostNs);
        var underlay = setup.BridgeAdd("ul0", 1500);
        setup.AddressAdd(underlay, IPAddress.Parse("192.0.2.1"), 24);
        setup.LinkSetUp(underlay);

        var spec = new SandboxSpec(Path.Combine(Directory, "dnp-" + _marker), "ownnet", 4343, 4789, 1450, [InterfaceAddress.Parse("10.41.0.1/24", "gw")],
            Local: IPAddress.Parse("192.0.2.1"));
        _namespaces.Add(spec.Path);
        var foreignPath = Path.Combine(Directory, "dnp-" + _marker + "f");
        _namespaces.Add(foreignPath);
        NetNs.Create(foreignPath).Dispose(); // someone else's dnp-… namespace in the same folder
        var dockers = setup.VxlanAdd(new VxlanSpec("vx-001001-" + _marker[..5], 0x1001, 4789, Learning: false, Proxy: false, L2Miss: false, L3Miss: false, Mtu: 1450));

        var sandbox = plane.OpenSandbox(spec);
        try
        {
            Assert.True(plane.OwnsSandbox(spec.Path));
            Assert.False(plane.OwnsSandbox(foreignPath));
            sandbox.AttachEndpoint("dnpcown1", "vethown1", PhysicalAddress.Parse("02-42-0A-29-00-02"));
            var devices = plane.ListHostDevices();
            Assert.True(plane.OwnsHostDevice(devices.Single(d => d.Name == "dnpcown1")));
            Assert.False(plane.OwnsHostDevice(devices.Single(d => d.Index == dockers)));
            Assert.Equal(Local(spec), IPAddress.Parse("192.0.2.1")); // the VXLAN socket is bound to the advertise address
        }
        finally
        {
            sandbox.Destroy();
        }
        Assert.False(plane.OwnsSandbox(spec.Path));
        Assert.False(File.Exists(Path.Combine(_state, "owned", OwnershipMarkers.Namespace, Path.GetFileName(spec.Path))), "Destroy leaves no stale marker");

        // Our name, someone else's namespace: the marker's inode no longer matches.
        var again = plane.OpenSandbox(spec);
        again.Close();
        NetNs.Delete(spec.Path);
        NetNs.Create(spec.Path).Dispose();
        Assert.False(plane.OwnsSandbox(spec.Path));
    }

    private static IPAddress? Local(SandboxSpec spec)
    {
        using var ns = NetNs.Open(spec.Path);
        using var handle = RtnlHandle.OpenIn(ns);
        return handle.LinkByName(DeviceNames.Vxlan)?.Vxlan?.Local;
    }

    public void Dispose()
    {
        foreach (var path in _namespaces.Where(NetNs.Exists))
            NetNs.Delete(path);
        System.IO.Directory.Delete(_state, recursive: true);
    }
}
