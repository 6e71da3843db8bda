using System.Globalization;

namespace DockerNetPlugin.Store.Consul;

/// <summary>Go duration strings as Consul reads them ("15s", "1500ms").</summary>
internal static class ConsulDuration
{
    public static string Format(TimeSpan value)
    {
        var ms = (long)Math.Ceiling(value.TotalMilliseconds);
        return ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>Parses the simple forms Consul answers with ("15s", "1m30s", "250ms"); null when unreadable.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        var total = TimeSpan.Zero;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                i++;
            if (!double.TryParse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                return null;
            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
                i++;
            double? perUnitMs = text[unitStart..i] switch
            {
                "ns" => 1e-6,
                "us" or "µs" => 1e-3,
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => null,
            };
            if (perUnitMs is null)
                return null;
            total += TimeSpan.FromMilliseconds(number * perUnitMs.Value);
        }
        return total;
    }
}
