namespace DockerNetPlugin.Store;

/// <summary>
/// A plugin call's bound on the store: the work gets a token that fires after <c>deadline</c>, which the store
/// clients honour (an attempt in flight is abandoned, no retry follows), and a deadline that fired becomes a
/// <see cref="StoreUnavailableException"/> naming the store, not a bare cancellation. The caller's own cancellation
/// (a stop, Docker hanging up) still surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
public static class StoreDeadline
{
    public static async Task<T> RunAsync<T>(string store, TimeSpan deadline, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(deadline);
        try
        {
            return await work(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"{store} did not answer within {deadline.TotalSeconds:0.#} s", e);
        }
    }
}
