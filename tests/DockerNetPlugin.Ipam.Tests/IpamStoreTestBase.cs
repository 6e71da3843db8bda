namespace DockerNetPlugin.Ipam.Tests;

/// <summary>Gives each test its own embedded store in a throwaway directory, removed afterwards.</summary>
public abstract class IpamStoreTestBase : IAsyncLifetime
{
    protected static readonly CancellationToken Ct = CancellationToken.None;

    private IpamTestStore? _env;

    internal IpamTestStore Env => _env ?? throw new InvalidOperationException("the test store is not open yet");

    public virtual async Task InitializeAsync() => _env = await IpamTestStore.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_env is not null)
            await _env.DisposeAsync();
    }
}
