using System.Security.Cryptography;
using System.Text;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// Common ground of every conformance suite: one store per test (<see cref="Store"/>), a prefix no
/// other test uses (so suites may share one server), and helpers. A backend joins a suite by
/// subclassing it; a suite whose hooks a backend cannot provide is simply not subclassed.
/// </summary>
public abstract class KvStoreTestBase : IAsyncLifetime
{
    private readonly List<IKvStore> _stores = [];
    private readonly List<IDisposable> _owned = [];
    private IKvStore? _store;

    protected KvStoreTestBase()
    {
        Prefix = $"conformance/t{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}/";
    }

    /// <summary>Opens a client of the backend under test. Called once per test, and again when a test needs a second client.</summary>
    protected abstract Task<IKvStore> CreateStoreAsync();

    /// <summary>The store of the current test.</summary>
    protected IKvStore Store
    {
        get => _store ?? throw new InvalidOperationException("the store is not open yet");
        set => _store = Track(value);
    }

    /// <summary>A prefix (ending in '/') only this test writes under.</summary>
    protected string Prefix { get; }

    /// <summary>Upper bound for anything that should happen "soon" (an event, a reconnect). Not a timing assertion.</summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(15);

    protected string K(string name) => Prefix + name;

    protected static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    protected static string Text(KvEntry? e) => e is null ? "<absent>" : Encoding.UTF8.GetString(e.Value.Span);

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Opens another client and disposes it with the test.</summary>
    protected async Task<IKvStore> OpenAnotherAsync() => Track(await CreateStoreAsync());

    protected WatchProbe Watch(string prefix, ulong fromRevision) => WatchProbe.Start(Store, prefix, fromRevision, Patience);

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var s in _stores.AsEnumerable().Reverse())
        {
            try
            {
                await s.DisposeAsync();
            }
            catch (ObjectDisposedException)
            {
            }
        }
        _stores.Clear();
        foreach (var resource in _owned)
            resource.Dispose();
    }

    /// <summary>Disposes <paramref name="resource"/> (a backend's temp dirs, say) after the test's stores are closed.</summary>
    protected T Owned<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    protected IKvStore Track(IKvStore store)
    {
        if (!_stores.Contains(store))
            _stores.Add(store);
        return store;
    }

    /// <summary>Polls <paramref name="condition"/> until true or <see cref="Patience"/> (times <paramref name="factor"/>) runs out.</summary>
    protected async Task EventuallyAsync(Func<Task<bool>> condition, string what, double factor = 1)
    {
        var deadline = DateTime.UtcNow + Patience * factor;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
