namespace DockerNetPlugin.Driver.Tests.Fakes;

/// <summary>Waits for a condition the watch makes true asynchronously (no timing assertion: the limit only stops a hang).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > limit)
                Assert.Fail($"never happened: {what}");
            await Task.Delay(10);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > limit)
                Assert.Fail($"never happened: {what}");
            await Task.Delay(10);
        }
    }
}
