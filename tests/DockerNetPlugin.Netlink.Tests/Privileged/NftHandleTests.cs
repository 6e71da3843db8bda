using System.Net;
using DockerNetPlugin.Netlink.Nftables;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class NftHandleTests : IDisposable
{
    private readonly TestNamespace _ns = new("nft");
    private readonly NftHandle _nft;

    public NftHandleTests() => _nft = NftHandle.OpenIn(_ns.Ns);

    private TestNamespace Ns => _ns;

    public void Dispose()
    {
        _nft.Dispose(); // the socket keeps the namespace alive: close it first
        _ns.Dispose();
        HostNamespace.AssertCallingThreadInHost();
    }

    [PrivilegedFact]
    public void Commit_OneMessageFails_NothingAppliedAndErrorNamesThatMessage()
    {
        var tx = new NftTransaction(NftFamily.Inet);
        tx.AddTable("atomic", "first message succeeds alone");
        tx.AddElements("atomic", "nosuch", null, [IPAddress.Parse("192.0.2.1")]);

        var e = Assert.Throws<NetlinkException>(() => _nft.Commit(tx));

        Assert.True(e.IsNotFound, e.Message);
        Assert.Contains("add element inet atomic nosuch", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing applied", e.Message, StringComparison.Ordinal);
        Assert.Null(_nft.TableGet(NftFamily.Inet, "atomic"));
        Assert.DoesNotContain("atomic", Tool.Run("ip", "netns", "exec", Ns.Name, "nft", "list", "tables"), StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void Commit_StaleGeneration_RefusedWithErestart()
    {
        var generation = _nft.GenerationGet();
        Tool.Run("ip", "netns", "exec", Ns.Name, "nft", "add", "table", "ip", "someone_else");
        var tx = new NftTransaction(NftFamily.Inet, generation);
        tx.AddTable("late", null);

        var e = Assert.Throws<NetlinkException>(() => _nft.Commit(tx));

        Assert.Equal(85, e.Errno); // ERESTART: the ruleset changed after we read it
        Assert.Null(_nft.TableGet(NftFamily.Inet, "late"));
        Assert.NotEqual(generation, _nft.GenerationGet());
    }

    [PrivilegedFact]
    public void TableGet_TableMadeByNft_ReadsHandleAndComment()
    {
        Tool.Run("ip", "netns", "exec", Ns.Name, "nft", "add", "table", "inet", "seen", "{ comment \"made by nft\"; }");

        var table = _nft.TableGet(NftFamily.Inet, "seen");

        Assert.NotNull(table);
        Assert.Equal(("seen", "made by nft", NftFamily.Inet), (table.Name, table.Comment, table.Family));
        Assert.True(table.Handle > 0);
        Assert.Null(_nft.TableGet(NftFamily.Ipv4, "seen"));
    }
}
