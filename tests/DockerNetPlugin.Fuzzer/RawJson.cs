using System.Text;
using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Puts text that no JSON writer would produce (numbers beyond double, lone surrogates, nesting past any depth
/// limit, a million keys) into a tree: the slot gets a unique placeholder string, and after serialising, the
/// quoted placeholder is replaced by the raw text.
/// </summary>
internal sealed class RawJson
{
    private readonly Dictionary<string, string> _splices = new(StringComparer.Ordinal);

    /// <summary>A placeholder node standing for <paramref name="raw"/>.</summary>
    public JsonNode Placeholder(string raw)
    {
        var token = $"@@raw{_splices.Count}@@";
        _splices[token] = raw;
        return JsonValue.Create(token);
    }

    public byte[] Serialize(JsonNode? root)
    {
        if (root is null)
            return [];
        var text = root.ToJsonString();
        foreach (var (token, raw) in _splices)
            text = text.Replace("\"" + token + "\"", raw, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text);
    }
}
