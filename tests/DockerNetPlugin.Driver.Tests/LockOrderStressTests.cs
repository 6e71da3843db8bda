using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests;

/// <summary>
/// Join, Leave, DeleteEndpoint, reconciliation passes and watch changes race on the same networks. Nothing may
/// deadlock (every task finishes), no two threads may be inside one namespace's kernel calls at once (the kernel gate),
/// and afterwards the store, the endpoint tables and the kernel agree.
/// </summary>
public sealed class LockOrderStressTests
{
    [Fact]
    public async Task ConcurrentJoinLeaveReconcileAndWatch_NoDeadlockNoConcurrentKernelUse_StateConsistent()
    {
        await using var bed = await DriverBed.StartAsync();
        string[] networks = ["net1", "net2"];
        await bed.CreateNetworkAsync("net1", "10.20.0.0/24", "10.20.0.1/24");
        await bed.CreateNetworkAsync("net2", "10.21.0.0/24", "10.21.0.1/24");
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var workers = new List<Task>();
        for (var w = 0; w < 6; w++)
        {
            var worker = w;
            workers.Add(Task.Run(async () =>
            {
                var network = networks[worker % 2];
                var prefix = network == "net1" ? "10.20.0." : "10.21.0.";
                for (var round = 0; round < 15; round++)
                {
                    var id = $"w{worker}r{round}";
                    var address = $"{prefix}{10 + (worker * 15) + round}/24";
                    await bed.JoinNewAsync(network, id, address);
                    if (round % 3 == 0)
                        await bed.Driver.LeaveAsync(network, id, CancellationToken.None);
                    if (round % 3 != 2)
                        await bed.Driver.DeleteEndpointAsync(network, id, CancellationToken.None);
                }
            }));
        }
        var background = new List<Task>
        {
            Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                    await reconciler.RunAsync(repair: true, CancellationToken.None);
            }),
            Task.Run(async () =>
            {
                var i = 0;
                while (!stop.IsCancellationRequested)
                {
                    var record = DriverBed.Remote(networks[i % 2], i % 40, prefix: i % 2 == 0 ? "10.20.0." : "10.21.0.");
                    await bed.PublishRemoteAsync(i % 5 == 4 ? record with { HostId = "host-c", Locator = "192.0.2.7" } : record); // the endpoint moved to another host
                    if (i % 3 == 0)
                        await bed.DeleteRemoteAsync(DriverBed.Remote(networks[(i + 1) % 2], (i + 7) % 40));
                    i++;
                }
            }),
            Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    _ = bed.Driver.GetStatus();
                    _ = bed.Driver.LocalNetworks();
                    Thread.Sleep(1);
                }
            }),
        };

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3));
        await stop.CancelAsync();
        await Task.WhenAll(background).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.DoesNotContain(bed.Kernel.Namespaces(), ns => ns.ConcurrentUse);
        await bed.VethDeletionsDoneAsync();
        var final = await reconciler.RunAsync(repair: true, CancellationToken.None);
        Assert.True(final.Clean, string.Join("; ", final.Remaining));
        var status = bed.Driver.GetStatus();
        foreach (var network in networks)
        {
            // 3 workers × 5 rounds per network kept their endpoint joined (round % 3 == 2).
            Assert.Equal(15, status.Networks.Single(n => n.DockerNetworkId == network).LocalEndpoints);
            var ns = bed.Sandbox(network);
            Assert.Equal(15, ns.Use(() => ns.Veths.Count));
            foreach (var joined in Enumerable.Range(0, 6).Where(w => networks[w % 2] == network).SelectMany(w => Enumerable.Range(0, 15).Where(r => r % 3 == 2).Select(r => $"w{w}r{r}")))
                Assert.True(await bed.RecordExistsAsync(network, joined), joined);
        }
    }
}
