namespace DockerNetPlugin.Fuzzer;

/// <summary>Byte-level damage to a serialised body: flipped bits, JSON punctuation in odd places, cuts and repeats.</summary>
internal static class ByteMutator
{
    private static readonly byte[] s_interesting = [0x00, 0xff, 0x7f, 0x80, 0xc3, (byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'\\', (byte)',', (byte)':', (byte)'\n', (byte)'0'];

    public static string Apply(Random rng, ref byte[] body)
    {
        if (body.Length == 0)
        {
            body = [s_interesting[rng.Next(s_interesting.Length)]];
            return "one byte";
        }
        var at = rng.Next(body.Length);
        var list = body.ToList();
        string what;
        switch (rng.Next(8))
        {
            case 0:
                list[at] ^= (byte)(1 << rng.Next(8));
                what = "flip a bit";
                break;
            case 1:
                list[at] = s_interesting[rng.Next(s_interesting.Length)];
                what = "replace a byte";
                break;
            case 2:
                var inserted = new byte[1 + rng.Next(8)];
                rng.NextBytes(inserted);
                list.InsertRange(at, inserted);
                what = "insert random bytes";
                break;
            case 3:
                list.RemoveRange(at, Math.Min(1 + rng.Next(16), list.Count - at));
                what = "delete bytes";
                break;
            case 4:
                var length = Math.Min(1 + rng.Next(32), list.Count - at);
                list.InsertRange(at, list.GetRange(at, length));
                what = "repeat bytes";
                break;
            case 5:
                list.RemoveRange(at, list.Count - at);
                what = "truncate";
                break;
            case 6:
                var other = rng.Next(list.Count);
                (list[at], list[other]) = (list[other], list[at]);
                what = "swap two bytes";
                break;
            default:
                list.AddRange("}]\"garbage"u8.ToArray().Take(1 + rng.Next(10)));
                what = "append garbage";
                break;
        }
        body = [.. list];
        return what;
    }
}
