using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests;

public sealed class LeaseKeeperTests
{
    [Fact]
    public async Task Put_WhileAnotherKeysWriteHangs_Completes()
    {
        var dir = Directory.CreateTempSubdirectory("dnp-lease-tests-").FullName;
        try
        {
            await using var file = await FileKvStore.OpenAsync(dir, CancellationToken.None);
            await using var localFile = await FileKvStore.OpenAsync(Path.Combine(dir, "local"), CancellationToken.None);
            var slowKey = KeyLayout.Key("test", "slow");
            var fastKey = KeyLayout.Key("test", "fast");
            var store = new BlockingKvStore(file) { Hold = key => key == slowKey };
            await using var lease = new LeaseKeeper(store, new RecordStore(localFile), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), NullLogger.Instance, new DockerNetPlugin.Driver.Trust.LoopSupervisor(NullLogger.Instance), new WriteLayout(KeyLayoutMode.Auto, "h1"));
            await lease.StartAsync(CancellationToken.None);

            var slow = lease.PutAsync(slowKey, new byte[] { 1 }, CancellationToken.None);
            await store.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await lease.PutAsync(fastKey, new byte[] { 2 }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            await lease.DeleteAsync(fastKey, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.False(slow.IsCompleted);
            Assert.Equal([slowKey], lease.OwnedKeys());
            store.Release();
            await slow;
            Assert.NotNull(await file.GetAsync(slowKey, CancellationToken.None));
            Assert.Null(await file.GetAsync(fastKey, CancellationToken.None));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

public sealed class LeaseRenewalTests
{
    [Fact]
    public async Task LeaseLost_RenewedAfterOutage_OwnedKeysRewrittenUnderTheNewLease_WithdrawnOnesNot()
    {
        var dir = Directory.CreateTempSubdirectory("dnp-lease-tests-").FullName;
        try
        {
            await using var file = await FileKvStore.OpenAsync(dir, CancellationToken.None);
            await using var localFile = await FileKvStore.OpenAsync(Path.Combine(dir, "local"), CancellationToken.None);
            var store = new BlockingKvStore(file);
            var kept = KeyLayout.Key("test", "kept");
            var withdrawn = KeyLayout.Key("test", "withdrawn");
            await using var lease = new LeaseKeeper(store, new RecordStore(localFile), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), NullLogger.Instance, new DockerNetPlugin.Driver.Trust.LoopSupervisor(NullLogger.Instance), new WriteLayout(KeyLayoutMode.Auto, "h1"));
            await lease.StartAsync(CancellationToken.None);
            await lease.PutAsync(kept, new byte[] { 1 }, CancellationToken.None);
            await lease.PutAsync(withdrawn, new byte[] { 2 }, CancellationToken.None);
            await lease.DeleteAsync(withdrawn, CancellationToken.None);

            store.RefuseLeases = true; // the store is still down when the loss is noticed: renewal retries
            var first = store.Leases[0];
            await file.DeleteAsync(kept, CancellationToken.None); // what the store does when a lease expires
            first.Lose();
            await Task.Delay(100);
            store.RefuseLeases = false;

            await Eventually.TrueAsync(() => store.Leases.Count == 2 && file.GetAsync(kept, CancellationToken.None).GetAwaiter().GetResult() is not null, "renewed and re-announced");
            Assert.Null(await file.GetAsync(withdrawn, CancellationToken.None));
            await lease.PutAsync(kept, new byte[] { 3 }, CancellationToken.None); // later writes use the new lease
            Assert.Equal(3, (await file.GetAsync(kept, CancellationToken.None))!.Value.Span[0]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
