using GaussQuant.Checkpoints;
using GaussQuant.IO;
using static TorchSharp.torch;

namespace GaussQuant.Nn.Dinov2;

/// <summary>
/// Builds a frozen <see cref="Dinov2VisionTransformer"/> from the weight files users have: timm's
/// <c>vit_large_patch14_dinov2.lvd142m</c> (<c>model.safetensors</c> or <c>pytorch_model.bin</c>), Hugging Face's
/// <c>facebook/dinov2-large</c>, DINOv2's own hub files, or an authors' VF training checkpoint
/// (<c>foundation_model.model.*</c>); <c>.safetensors</c>, <c>.pth</c>/<c>.bin</c> or <c>.ckpt</c>. Sizes come from
/// the tensors' shapes.
/// </summary>
public static class Dinov2Weights
{
    /// <summary>What to download, for messages about missing or wrong weights.</summary>
    public const string DownloadHint =
        "Download DINOv2 ViT-L/14 weights: timm's 'vit_large_patch14_dinov2.lvd142m' " +
        "(https://huggingface.co/timm/vit_large_patch14_dinov2.lvd142m, model.safetensors) or Hugging Face's " +
        "'facebook/dinov2-large' (https://huggingface.co/facebook/dinov2-large, model.safetensors).";

    /// <summary>Reads, checks and loads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">when the file does not exist.</exception>
    /// <exception cref="InvalidDataException">when it holds no DINOv2 weights or they do not fit together; the message names the file and the tensor.</exception>
    /// <param name="path">The weights file.</param>
    /// <param name="device">Where the transformer runs.</param>
    /// <param name="heads">Attention heads; null for DINOv2's 64 channels a head (every released model).</param>
    public static Dinov2VisionTransformer Load(string path, Device? device = null, int? heads = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such DINOv2 weights file. {DownloadHint}", path);
        // The file holds at least its tensors: refusing an oversized one here keeps its tensors out of memory.
        long bytes = new FileInfo(path).Length, limit = ResourceLimits.Current.MaxModelBytes;
        if (bytes > 2 * limit)
            throw new InvalidDataException(
                $"{path}: {ResourceLimits.Describe(bytes)} is more than DINOv2 weights may take ({ResourceLimits.Describe(limit)} of float32 " +
                $"weights, a half-precision file half of that); raise {ResourceLimits.ModelBytesVariable} if it is right");
        using var checkpoint = CheckpointLoader.Load(path, key => !IsAutoencoderTrainingKey(key));
        return FromTensors(checkpoint.Tensors, path, device, heads);
    }

    /// <summary>Builds the transformer from tensors of either layout (see <see cref="Dinov2KeyMap"/>).</summary>
    public static Dinov2VisionTransformer FromTensors(IReadOnlyDictionary<string, Tensor> tensors, string description,
        Device? device = null, int? heads = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var map = Dinov2KeyMap.For(tensors.Keys, description);
        var options = InferOptions(map.MappedShapes(tensors.ToDictionary(pair => pair.Key, pair => pair.Value.shape)), description, heads);
        long needed = options.ParameterCount * sizeof(float), limit = ResourceLimits.Current.MaxModelBytes;
        if (needed > limit)
            throw new InvalidDataException(
                $"{description}: a DINOv2 of {ResourceLimits.Describe(needed)} exceeds the model limit of {ResourceLimits.Describe(limit)}; " +
                $"raise {ResourceLimits.ModelBytesVariable} if it is right");

        var model = new Dinov2VisionTransformer(options, device);
        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, source) in map.Sources)
            {
                var tensor = source.From(tensors);
                mapped[name] = tensor;
                if (!tensor.is_floating_point())
                    throw new InvalidDataException($"{description}: '{source.Keys[0]}' holds {tensor.dtype}, expected floating-point weights");
            }
            ModuleWeights.LoadInto(model, mapped, $"{description} ({map.Layout} DINOv2 layout{(map.Prefix.Length > 0 ? $", under '{map.Prefix}'" : "")})");
            model.ClearPositionCache();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in mapped.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// The sizes timm-named shapes imply: embed dim from the class token, depth from the block indices, patch size from
    /// the patch convolution, registers from <c>reg_token</c>, the trained grid and whether the prefix tokens have
    /// position rows from <c>pos_embed</c>, MLP width and gating from <c>fc1</c>/<c>fc2</c>, LayerScale from <c>ls1</c>.
    /// </summary>
    public static Dinov2Options InferOptions(IReadOnlyDictionary<string, long[]> shapes, string description, int? heads = null)
    {
        long[] Shape(string name) => shapes.TryGetValue(name, out var shape)
            ? shape : throw new InvalidDataException($"{description}: DINOv2 tensor '{name}' is missing. {DownloadHint}");
        var classToken = Shape("cls_token");
        if (classToken.Length != 3 || classToken[0] != 1 || classToken[1] != 1)
            throw new InvalidDataException($"{description}: cls_token has shape [{string.Join(", ", classToken)}], expected [1, 1, E]");
        int width = checked((int)classToken[2]);
        var patch = Shape("patch_embed.proj.weight");
        if (patch.Length != 4 || patch[1] != 3 || patch[2] != patch[3])
            throw new InvalidDataException($"{description}: patch_embed.proj.weight has shape [{string.Join(", ", patch)}], expected [E, 3, p, p]");
        int registers = shapes.TryGetValue("reg_token", out var register) ? checked((int)register[1]) : 0;

        var blockIndices = shapes.Keys.Where(key => key.StartsWith("blocks.", StringComparison.Ordinal))
            .Select(key => int.Parse(key.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        if (blockIndices.Count == 0 || blockIndices[^1] != blockIndices.Count - 1)
            throw new InvalidDataException($"{description}: DINOv2 blocks must be numbered 0…{blockIndices.Count - 1}, found {string.Join(", ", blockIndices)}");

        long positionRows = Shape("pos_embed")[1];
        var (grid, embedsPrefix) = IsSquare(positionRows) is int square ? (square, false)
            : IsSquare(positionRows - 1 - registers) is int withPrefix ? (withPrefix, true)
            : throw new InvalidDataException(
                $"{description}: pos_embed has {positionRows} rows, neither a square patch grid nor one plus {1 + registers} prefix tokens");

        long hidden = Shape("blocks.0.mlp.fc2.weight")[1], firstLayer = Shape("blocks.0.mlp.fc1.weight")[0];
        if (firstLayer != hidden && firstLayer != 2 * hidden)
            throw new InvalidDataException($"{description}: blocks.0.mlp.fc1 makes {firstLayer} channels, expected {hidden} (GELU MLP) or {2 * hidden} (SwiGLU)");
        var options = new Dinov2Options
        {
            EmbeddingDimension = width,
            Depth = blockIndices.Count,
            PatchSize = checked((int)patch[2]),
            PositionGrid = grid,
            RegisterTokens = registers,
            EmbedsPrefixPositions = embedsPrefix,
            MlpHiddenDimension = checked((int)hidden),
            GatedMlp = firstLayer == 2 * hidden,
            LayerScale = shapes.ContainsKey("blocks.0.ls1.gamma"),
            HeadCount = heads,
        };
        try { options.Validate(); }
        catch (ArgumentException error) { throw new InvalidDataException($"{description}: {error.Message}", error); }
        return options;
    }

    private static int? IsSquare(long count)
    {
        if (count <= 0) return null;
        long side = (long)Math.Round(Math.Sqrt(count));
        return side * side == count ? checked((int)side) : null;
    }

    // An authors' VF checkpoint also holds the autoencoder and its loss (LPIPS, discriminator): those are not read.
    // encoder.* is, as Hugging Face's transformer blocks live there (the key map then keeps what it needs).
    private static bool IsAutoencoderTrainingKey(string key) =>
        key.StartsWith("loss.", StringComparison.Ordinal) || key.StartsWith("decoder.", StringComparison.Ordinal)
        || key.StartsWith("regularization.", StringComparison.Ordinal) || key.StartsWith("linear_proj.", StringComparison.Ordinal);
}
