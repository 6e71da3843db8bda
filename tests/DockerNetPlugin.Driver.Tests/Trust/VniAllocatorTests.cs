using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Tests.Fakes;

namespace DockerNetPlugin.Driver.Tests.Trust;

/// <summary>VNI allocation against what other hosts wrote: a network record whose claim is missing still holds its VNI.</summary>
public sealed class VniAllocatorTests
{
    [Fact]
    public async Task Allocate_SkipsTheVniOfANetworkRecordWhoseClaimIsMissing()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        var first = Assert.Single(await bed.Driver.ListLogicalNetworksAsync(CancellationToken.None));
        var record = await bed.Cluster.GetAsync(ClusterKeys.Network("net1"), CancellationToken.None);
        var json = System.Text.Encoding.UTF8.GetString(record!.Value.Span).Replace("\"net1\"", "\"other\"", StringComparison.Ordinal);
        await bed.Driver.DeleteNetworkAsync("net1", CancellationToken.None);

        // Another host's network that took net1's VNI, seen before its claim (or after a release raced a re-create).
        await bed.PutRawAsync(ClusterKeys.Network("other"), json);
        Assert.Null(await bed.Cluster.GetAsync(ClusterKeys.Vni(first.Vni), CancellationToken.None));

        // net1 again: its id hashes to the same first candidate, which must now be skipped.
        await bed.CreateNetworkAsync("net1");
        var networks = await bed.Driver.ListLogicalNetworksAsync(CancellationToken.None);
        var again = Assert.Single(networks, n => n.Id == "net1");
        Assert.NotEqual(first.Vni, again.Vni);
        Assert.Equal(first.Vni, Assert.Single(networks, n => n.Id == "other").Vni);
    }
}
