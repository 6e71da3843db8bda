using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Field-level mutations of a valid body: wrong types, missing and unknown fields, huge and strange values.</summary>
internal static class JsonTreeMutator
{
    private static readonly string[] s_wrongTypes =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "18446744073709551616", "-0", "\"\"", "[]", "{}",
        "[1,2,3]", "{\"a\":{\"b\":[]}}", "\"text\"", "[null]", "[\"\"]", "{\"\":\"\"}",
    ];

    private static readonly string[] s_strangeStrings =
    [
        "\u0000", "\u202e" + "reversed", "🙂🙂🙂", "ǅǈǋ", "\ufeff", "e\u0301\u0301\u0301", "网络-ネットワーク", "../../../etc/passwd",
        "%s%n{0}", "\r\n\r\n", "dnp-\u200b", "10.0.0.1\u0000/24", "ａｂｃ", " 10.64.0.0/24 ", "\t", "\\", "\"",
    ];

    private static readonly string[] s_rawStrings = ["\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\\u0001\"", "\"a\\/b\""];

    /// <summary>Applies one mutation to <paramref name="root"/> (which may be replaced); returns what it did.</summary>
    public static string Apply(Random rng, ref JsonNode? root, RawJson raw)
    {
        var slots = Slots(root).ToList();
        var kind = rng.Next(12);
        if (slots.Count == 0 || kind == 11)
        {
            root = rng.Next(4) switch
            {
                0 => new JsonArray(root?.DeepClone()),
                1 => JsonValue.Create("{\"NetworkID\":\"x\"}"),
                2 => raw.Placeholder(rng.Pick(s_wrongTypes)),
                _ => raw.Placeholder(Nested(rng.Pick([65, 1000, 100_000]), rng.Chance(0.5))),
            };
            return "replace the whole body";
        }
        var (parent, name, index) = rng.Pick(slots);
        switch (kind)
        {
            case 0 when name is not null:
                parent.AsObject().Remove(name);
                return $"remove {name}";
            case 1 when name is not null:
                var value = parent[name];
                parent.AsObject().Remove(name);
                var flipped = string.Concat(name.Select(c => rng.Chance(0.5) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));
                parent.AsObject()[flipped] = value;
                return $"rename {name} to {flipped}";
            case 2:
                if (parent is JsonObject o)
                    o["Unknown" + rng.Next(1000).ToString(CultureInfo.InvariantCulture)] = raw.Placeholder(rng.Pick(s_wrongTypes));
                else
                    parent.AsArray().Add(raw.Placeholder(rng.Pick(s_wrongTypes)));
                return "add an unknown field";
            case 3:
                return Set(parent, name, index, raw.Placeholder(rng.Pick(s_wrongTypes)), "wrong type");
            case 4:
                var length = rng.Pick([256, 4096, 65_536, 65_536, 1_048_576]);
                var huge = rng.Chance(0.5) ? new string('a', length) : string.Concat(Enumerable.Repeat("网🙂", Math.Min(length, 65_536) / 3));
                return Set(parent, name, index, JsonValue.Create(huge), $"{length}-char string");
            case 5:
                return Set(parent, name, index, JsonValue.Create(rng.Pick(s_strangeStrings)), "strange string");
            case 6:
                return Set(parent, name, index, raw.Placeholder(rng.Pick(s_rawStrings)), "lone surrogate or control escape");
            case 7:
                var depth = rng.Pick([63, 64, 65, 1000, 100_000]);
                return Set(parent, name, index, raw.Placeholder(Nested(depth, rng.Chance(0.5))), $"nesting {depth} deep");
            case 8:
                var many = rng.Pick([1000, 10_000, 100_000]);
                return Set(parent, name, index, raw.Placeholder(rng.Chance(0.5) ? ManyKeys(many) : "[" + string.Join(',', Enumerable.Range(0, many)) + "]"), $"{many} elements");
            case 9:
                var number = rng.Pick(["4294967296", "-2147483649", "9223372036854775808", "1e-400", "0.0000001", "123456789012345678901234567890"]);
                return Set(parent, name, index, raw.Placeholder(number), "extreme number");
            default:
                return Set(parent, name, index, null, "null");
        }
    }

    private static string Set(JsonNode parent, string? name, int index, JsonNode? value, string what)
    {
        if (name is not null)
            parent[name] = value;
        else
            parent.AsArray()[index] = value;
        return $"{what} at {name ?? index.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Every (container, property name or array index) in the tree.</summary>
    private static IEnumerable<(JsonNode Parent, string? Name, int Index)> Slots(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    yield return (o, name, -1);
                    foreach (var inner in Slots(child))
                        yield return inner;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return (a, null, i);
                    foreach (var inner in Slots(a[i]))
                        yield return inner;
                }
                break;
        }
    }

    private static string Nested(int depth, bool arrays)
    {
        var sb = new StringBuilder(depth * 8);
        for (var i = 0; i < depth; i++)
            sb.Append(arrays ? "[" : "{\"a\":");
        sb.Append("1");
        for (var i = 0; i < depth; i++)
            sb.Append(arrays ? ']' : '}');
        return sb.ToString();
    }

    private static string ManyKeys(int count) =>
        "{" + string.Join(',', Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"k{i}\":\"v\""))) + "}";
}
