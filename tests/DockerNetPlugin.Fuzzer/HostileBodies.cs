using System.Text;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Whole bodies that are not what any method expects: empty, scalar, broken, foreign encodings, oversized.</summary>
internal static class HostileBodies
{
    private static readonly string[] s_texts =
    [
        "", " ", "\n", "null", "{}", "[]", "\"\"", "0", "{", "}", "{\"", "{}{}", "{} trailing", "{\"a\":1,}", "{/*c*/}", "{'a':1}",
        "{\"NetworkID\":NaN}", "{\"NetworkID\":Infinity}", "[{}]", "\"{}\"", "true", "{\"\":{}}", "{\"NetworkID\":\"a\",\"NetworkID\":\"b\"}",
    ];

    public static (byte[] Body, string What) Pick(Random rng, byte[] template)
    {
        switch (rng.Next(8))
        {
            case 0:
            case 1:
            case 2:
                var text = rng.Pick(s_texts);
                return (Encoding.UTF8.GetBytes(text), $"body '{Excerpt.Of(text, 40)}'");
            case 3:
                var random = new byte[1 + rng.Next(512)];
                rng.NextBytes(random);
                return (random, "random bytes");
            case 4:
                return ([0xc3, 0x28, 0x7b, 0x7d, 0xa0, 0xa1, 0xff, 0xfe], "invalid UTF-8");
            case 5:
                return ([0xef, 0xbb, 0xbf, .. template], "UTF-8 byte order mark");
            case 6:
                return (Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(template)), "UTF-16 body");
            default:
                var size = rng.Chance(0.8) ? 1 << 16 : 1 << 20;
                var padded = new byte[size];
                Array.Fill(padded, (byte)' ');
                template.CopyTo(padded, size - template.Length);
                return (padded, $"{size >> 10} KiB body");
        }
    }
}
