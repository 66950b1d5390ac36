namespace GaussQuant.Nn.Dinov2;

/// <summary>
/// The shape of a DINOv2 vision transformer (timm's <c>vit_*_patch14_dinov2</c> family), as its weights imply it:
/// <see cref="Dinov2Weights"/> reads every field from tensor shapes, so ViT-S/B/L/g (and the register variants) load
/// without a table of sizes.
/// </summary>
public sealed record Dinov2Options
{
    /// <summary>timm's LayerNorm epsilon for these models (and Hugging Face's <c>layer_norm_eps</c>).</summary>
    public const double LayerNormEpsilon = 1e-6;

    /// <summary>Channels of a head: timm's DINOv2 configs all give heads = embed dim / 64 (384/6, 768/12, 1024/16, 1536/24).</summary>
    public const int HeadDimension = 64;

    /// <summary>Token width (1024 for ViT-L).</summary>
    public required int EmbeddingDimension { get; init; }

    /// <summary>Transformer blocks (24 for ViT-L).</summary>
    public required int Depth { get; init; }

    /// <summary>Pixels per patch side (14).</summary>
    public required int PatchSize { get; init; }

    /// <summary>Patch-grid side the position embedding was trained for (37 = 518 / 14).</summary>
    public required int PositionGrid { get; init; }

    /// <summary>Register tokens after the class token (0, or 4 for the <c>reg4</c> models).</summary>
    public int RegisterTokens { get; init; }

    /// <summary>
    /// Whether the position embedding also has rows for the class (and register) tokens, which it adds after
    /// concatenation (timm's default), or only rows for the patches (timm's <c>no_embed_class</c>).
    /// </summary>
    public bool EmbedsPrefixPositions { get; init; } = true;

    /// <summary>Width of the MLP's hidden layer (4 × embed for S/B/L; 4096 for g).</summary>
    public required int MlpHiddenDimension { get; init; }

    /// <summary>SwiGLU MLP (ViT-g: <c>fc1</c> makes gate and value halves, silu(gate) · value) instead of fc1 → GELU → fc2.</summary>
    public bool GatedMlp { get; init; }

    /// <summary>Whether each block scales its two residual branches by learned per-channel factors (<c>ls1/ls2.gamma</c>).</summary>
    public bool LayerScale { get; init; } = true;

    /// <summary>Attention heads when not the DINOv2 rule of 64 channels each (weights do not tell; small test models use it).</summary>
    public int? HeadCount { get; init; }

    public int Heads => HeadCount ?? EmbeddingDimension / HeadDimension;

    /// <summary>Class token and registers, before the patch tokens.</summary>
    public int PrefixTokens => 1 + RegisterTokens;

    /// <summary>Rows of the position embedding.</summary>
    public int PositionTokens => PositionGrid * PositionGrid + (EmbedsPrefixPositions ? PrefixTokens : 0);

    /// <summary>Number of float32 values the weights hold, for the memory check before they are built.</summary>
    public long ParameterCount
    {
        get
        {
            long d = EmbeddingDimension, hidden = MlpHiddenDimension;
            long mlp = d * (GatedMlp ? 2 * hidden : hidden) + (GatedMlp ? 2 * hidden : hidden) + hidden * d + d;
            long block = 4 * d + (3 * d * d + 3 * d) + (d * d + d) + mlp + (LayerScale ? 2 * d : 0);
            return PrefixTokens * d + PositionTokens * d + (3L * PatchSize * PatchSize * d + d) + Depth * block + 2 * d;
        }
    }

    /// <exception cref="ArgumentException">when the sizes do not describe a DINOv2 transformer.</exception>
    public void Validate()
    {
        if (HeadCount is int heads ? heads <= 0 || EmbeddingDimension <= 0 || EmbeddingDimension % heads != 0
                : EmbeddingDimension <= 0 || EmbeddingDimension % HeadDimension != 0)
            throw new ArgumentException(
                $"DINOv2: embedding dimension {EmbeddingDimension} does not split into {(HeadCount is int count ? $"{count} heads" : $"heads of {HeadDimension} channels")}");
        if (Depth <= 0) throw new ArgumentException($"DINOv2: depth must be positive, got {Depth}");
        if (PatchSize <= 0) throw new ArgumentException($"DINOv2: patch size must be positive, got {PatchSize}");
        if (PositionGrid <= 0) throw new ArgumentException($"DINOv2: position grid must be positive, got {PositionGrid}");
        if (RegisterTokens < 0) throw new ArgumentException($"DINOv2: register tokens must not be negative, got {RegisterTokens}");
        if (MlpHiddenDimension <= 0) throw new ArgumentException($"DINOv2: MLP width must be positive, got {MlpHiddenDimension}");
    }
}
