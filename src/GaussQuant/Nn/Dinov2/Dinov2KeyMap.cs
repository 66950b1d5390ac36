using System.Text.RegularExpressions;

namespace GaussQuant.Nn.Dinov2;

/// <summary>
/// Where each tensor of <see cref="Dinov2VisionTransformer"/> (timm's names) comes from in a state dict of either
/// layout, worked out from the key names alone, so the mapping of a full-size model can be checked without its weights.
/// Keys may carry a common prefix (<c>foundation_model.model.</c> in the authors' VF checkpoints, <c>dinov2.</c> in
/// Hugging Face's classifiers); keys without a role in feature extraction (<c>mask_token</c>, heads, poolers) are left out.
/// </summary>
public sealed partial class Dinov2KeyMap
{
    private const string TimmAnchor = "patch_embed.proj.weight";
    private const string HuggingFaceAnchor = "embeddings.patch_embeddings.projection.weight";

    private Dinov2KeyMap(Dinov2Layout layout, string prefix, IReadOnlyDictionary<string, Dinov2TensorSource> sources)
    {
        Layout = layout;
        Prefix = prefix;
        Sources = sources;
    }

    public Dinov2Layout Layout { get; }

    /// <summary>The prefix every used key carries ("" for a bare state dict).</summary>
    public string Prefix { get; }

    /// <summary>For each timm name, the checkpoint keys (with prefix) and how they combine.</summary>
    public IReadOnlyDictionary<string, Dinov2TensorSource> Sources { get; }

    /// <exception cref="InvalidDataException">when the keys hold no DINOv2 patch embedding, or a transformer key is not recognised.</exception>
    public static Dinov2KeyMap For(IEnumerable<string> keys, string description)
    {
        var all = keys.ToList();
        string? anchor = all.FirstOrDefault(key => key.EndsWith(HuggingFaceAnchor, StringComparison.Ordinal))
                         ?? all.FirstOrDefault(key => key.EndsWith(TimmAnchor, StringComparison.Ordinal));
        if (anchor is null)
            throw new InvalidDataException(
                $"{description}: not DINOv2 weights: there is no '{TimmAnchor}' (timm) or '{HuggingFaceAnchor}' (Hugging Face) tensor. " +
                Dinov2Weights.DownloadHint);
        bool huggingFace = anchor.EndsWith(HuggingFaceAnchor, StringComparison.Ordinal);
        string prefix = anchor[..^(huggingFace ? HuggingFaceAnchor.Length : TimmAnchor.Length)];
        var names = all.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).Select(key => key[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
        var sources = huggingFace ? HuggingFaceSources(names, description) : TimmSources(names, description);
        return new Dinov2KeyMap(huggingFace ? Dinov2Layout.HuggingFace : Dinov2Layout.Timm, prefix,
            sources.ToDictionary(pair => pair.Key, pair => pair.Value with { Keys = pair.Value.Keys.Select(key => prefix + key).ToList() }));
    }

    /// <summary>The shapes of the mapped tensors, from the checkpoint's shapes (no tensor data needed).</summary>
    public Dictionary<string, long[]> MappedShapes(IReadOnlyDictionary<string, long[]> shapes) =>
        Sources.ToDictionary(pair => pair.Key, pair => pair.Value.ShapeFrom(shapes), StringComparer.Ordinal);

    private static Dictionary<string, Dinov2TensorSource> TimmSources(HashSet<string> names, string description)
    {
        var sources = new Dictionary<string, Dinov2TensorSource>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (name is "cls_token" or "pos_embed" or "reg_token" || name.StartsWith("patch_embed.proj.", StringComparison.Ordinal)
                || name.StartsWith("norm.", StringComparison.Ordinal))
                sources[name] = Dinov2TensorSource.Copy(name);
            else if (name == "register_tokens") // DINOv2's own hub files; their position embedding covers the class token only
                sources["reg_token"] = Dinov2TensorSource.Copy(name);
            else if (name.StartsWith("blocks.", StringComparison.Ordinal))
                sources[RequireBlockKey(name, TimmBlockKey(), description)] = Dinov2TensorSource.Copy(name);
        }
        FoldClassPosition(sources, names.Contains("register_tokens") ? "register_tokens" : null, "cls_token", "pos_embed");
        return sources;
    }

    private static Dictionary<string, Dinov2TensorSource> HuggingFaceSources(HashSet<string> names, string description)
    {
        var sources = new Dictionary<string, Dinov2TensorSource>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            switch (name)
            {
                case "embeddings.cls_token": sources["cls_token"] = Dinov2TensorSource.Copy(name); continue;
                case "embeddings.position_embeddings": sources["pos_embed"] = Dinov2TensorSource.Copy(name); continue;
                case "embeddings.register_tokens": sources["reg_token"] = Dinov2TensorSource.Copy(name); continue;
                case "embeddings.patch_embeddings.projection.weight": sources["patch_embed.proj.weight"] = Dinov2TensorSource.Copy(name); continue;
                case "embeddings.patch_embeddings.projection.bias": sources["patch_embed.proj.bias"] = Dinov2TensorSource.Copy(name); continue;
                case "layernorm.weight": sources["norm.weight"] = Dinov2TensorSource.Copy(name); continue;
                case "layernorm.bias": sources["norm.bias"] = Dinov2TensorSource.Copy(name); continue;
            }
            if (!name.StartsWith("encoder.layer.", StringComparison.Ordinal))
                continue;
            var match = HuggingFaceBlockKey().Match(name);
            if (!match.Success)
                throw new InvalidDataException($"{description}: unknown Hugging Face DINOv2 tensor '{name}'");
            string block = $"blocks.{match.Groups["block"].Value}.";
            string part = match.Groups["part"].Value, tensor = match.Groups["tensor"].Value;
            string layer = $"encoder.layer.{match.Groups["block"].Value}.";
            switch (part)
            {
                case "attention.attention.query" or "attention.attention.key" or "attention.attention.value":
                    // timm's qkv rows are [q; k; v]: Hugging Face keeps three projections.
                    sources[$"{block}attn.qkv.{tensor}"] = Dinov2TensorSource.Concatenate(
                        [.. new[] { "query", "key", "value" }.Select(projection => $"{layer}attention.attention.{projection}.{tensor}")]);
                    break;
                case "attention.output.dense": sources[$"{block}attn.proj.{tensor}"] = Dinov2TensorSource.Copy(name); break;
                case "layer_scale1": sources[$"{block}ls1.gamma"] = Dinov2TensorSource.Copy(name); break;
                case "layer_scale2": sources[$"{block}ls2.gamma"] = Dinov2TensorSource.Copy(name); break;
                case "mlp.fc1" or "mlp.weights_in": sources[$"{block}mlp.fc1.{tensor}"] = Dinov2TensorSource.Copy(name); break;
                case "mlp.fc2" or "mlp.weights_out": sources[$"{block}mlp.fc2.{tensor}"] = Dinov2TensorSource.Copy(name); break;
                default: sources[$"{block}{part}.{tensor}"] = Dinov2TensorSource.Copy(name); break; // norm1, norm2
            }
        }
        FoldClassPosition(sources, names.Contains("embeddings.register_tokens") ? "embeddings.register_tokens" : null,
            "embeddings.cls_token", "embeddings.position_embeddings");
        return sources;
    }

    /// <summary>
    /// Hugging Face and DINOv2's own files add the position embedding to [class; patches] and insert the registers
    /// afterwards; timm's equivalent (<c>no_embed_class</c>) folds the class row into the class token. Only needed with registers.
    /// </summary>
    private static void FoldClassPosition(Dictionary<string, Dinov2TensorSource> sources, string? registers, string classToken, string positions)
    {
        if (registers is null || !sources.ContainsKey("cls_token") || !sources.ContainsKey("pos_embed"))
            return;
        sources["cls_token"] = new Dinov2TensorSource([classToken, positions], Dinov2TensorCombination.ClassPlusFirstPosition);
        sources["pos_embed"] = new Dinov2TensorSource([positions], Dinov2TensorCombination.WithoutFirstPosition);
    }

    private static string RequireBlockKey(string name, Regex pattern, string description) =>
        pattern.IsMatch(name) ? name : throw new InvalidDataException($"{description}: unknown timm DINOv2 tensor '{name}'");

    [GeneratedRegex(@"^blocks\.\d+\.(norm1|norm2|attn\.qkv|attn\.proj|mlp\.fc1|mlp\.fc2)\.(weight|bias)$|^blocks\.\d+\.ls[12]\.gamma$")]
    private static partial Regex TimmBlockKey();

    [GeneratedRegex(@"^encoder\.layer\.(?<block>\d+)\.(?<part>norm1|norm2|attention\.attention\.(query|key|value)|attention\.output\.dense|mlp\.fc1|mlp\.fc2|mlp\.weights_in|mlp\.weights_out|layer_scale1|layer_scale2)\.(?<tensor>weight|bias|lambda1)$")]
    private static partial Regex HuggingFaceBlockKey();
}
