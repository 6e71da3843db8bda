using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>No operation of the layer ever leaves a caller's (or a pool) thread in another namespace.</summary>
[Trait("Category", "Privileged")]
public sealed class ThreadNamespaceTests
{
    [PrivilegedFact]
    public async Task EveryOperation_FromPoolThread_LeavesCallingThreadInHost()
    {
        await Task.Run(async () =>
        {
            Assert.True(Thread.CurrentThread.IsThreadPoolThread);
            var checks = 0;
            void Check()
            {
                HostNamespace.AssertCallingThreadInHost();
                checks++;
            }

            var path = $"{TestNamespace.Directory}/{TestNamespace.RunPrefix}-threads";
            try
            {
                using var ns = NetNs.Create(path);
                Check();
                ns.Run(() => Assert.Equal(ns.Inode, NetNs.CurrentThreadNetNsInode()));
                Check();
                ns.WriteSysctl("net/ipv4/conf/all/arp_ignore", "1");
                Check();
                using (var reopened = NetNs.CreateOrOpen(path))
                {
                    Check();
                }

                using var rtnl = RtnlHandle.OpenIn(ns);
                Check();
                var vxlan = rtnl.VxlanAdd(new VxlanSpec("vxlan0", 7));
                Check();
                var (veth, peer) = rtnl.VethAdd("v0", "v1");
                Check();
                rtnl.LinkSetUp(vxlan);
                rtnl.AddressAdd(veth, IPAddress.Parse("10.3.0.1"), 24);
                Check();
                var mac = PhysicalAddress.Parse("02-42-0a-03-00-02");
                rtnl.NeighborReplaceMany([new Neighbor(vxlan, IPAddress.Parse("10.3.0.2"), mac)]);
                rtnl.FdbReplaceMany([new FdbEntry(vxlan, mac, IPAddress.Parse("192.0.2.3"))]);
                Check();
                Assert.NotEmpty(rtnl.LinkList());
                Assert.NotEmpty(rtnl.FdbList(vxlan));
                Check();
                await using (NeighborMonitor.Open(ns))
                {
                    Check();
                }

                Check();
                Assert.Throws<NetlinkException>(() => rtnl.LinkDelete(peer + 1000));
                Check();
                rtnl.LinkDelete(veth);
                Check();
            }
            finally
            {
                NetNs.Delete(path);
            }

            Check();
            Assert.Equal(15, checks);
        });

        var poolInodes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(NetNs.CurrentThreadNetNsInode)));
        Assert.All(poolInodes, inode => Assert.Equal(HostNamespace.Inode, inode));
    }
}
