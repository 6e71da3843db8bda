namespace DockerNetPlugin.Integration.Tests;

/// <summary>Waits for something a user would wait for (a network to appear, an entry to go), polling.</summary>
internal static class Eventually
{
    /// <summary>True as soon as <paramref name="condition"/> holds; false if it still does not after <paramref name="timeout"/>.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
                return true;
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(200);
        }
    }
}
