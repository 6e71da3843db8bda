namespace DockerNetPlugin.Fuzzer;

/// <summary>Seeded choices (every choice of a run goes through one <see cref="Random"/> per worker).</summary>
internal static class RandomExtensions
{
    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    public static bool Chance(this Random rng, double probability) => rng.NextDouble() < probability;

    public static string Hex(this Random rng, int length)
    {
        const string Digits = "0123456789abcdef";
        return string.Create(length, rng, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = Digits[r.Next(16)];
        });
    }

    public static string Alnum(this Random rng, int length)
    {
        const string Chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, rng, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = Chars[r.Next(Chars.Length)];
        });
    }

    /// <summary>Picks an index by weight; weights of zero are never picked.</summary>
    public static int Weighted(this Random rng, IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        var x = rng.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] <= 0)
                continue;
            x -= weights[i];
            if (x < 0)
                return i;
        }
        return weights.Count - 1;
    }
}
