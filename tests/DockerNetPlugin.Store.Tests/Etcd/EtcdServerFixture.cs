namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>An xunit fixture around <see cref="LoopbackEtcd"/>: started once, killed and its dir removed at the end (also after failures).</summary>
public sealed class EtcdServerFixture : LoopbackEtcd, IAsyncLifetime
{
    public Task InitializeAsync() => StartNewAsync();

    public Task DisposeAsync() => StopAndDeleteAsync();
}
