using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn.Dinov2;

/// <summary>
/// DINOv2's vision transformer as timm builds it (<c>vit_*_patch14_dinov2</c>, <c>dynamic_img_size=True</c>), frozen,
/// for inference only. Parameter names are timm's (<c>cls_token</c>, <c>reg_token</c>, <c>pos_embed</c>,
/// <c>patch_embed.proj</c>, <c>blocks.{i}.*</c>, <c>norm</c>); <see cref="Dinov2Weights"/> also maps Hugging Face's
/// layout onto them. <see cref="ForwardFeatures"/> is timm's <c>forward_features</c>; <see cref="AlignmentFeatures"/>
/// is the authors' feature extractor for VF alignment (GQ_SPEC §4.5).
/// </summary>
public sealed class Dinov2VisionTransformer : nn.Module<Tensor, Tensor>
{
    /// <summary>The authors resize every image to this side before DINOv2 (after a first resize to 256).</summary>
    public const int AlignmentInputSide = 224;

    private const int AlignmentFirstSide = 256;

    [ComponentName(Name = "cls_token")]
    private readonly Parameter classToken;
    [ComponentName(Name = "reg_token")]
    private readonly Parameter? registerTokens;
    [ComponentName(Name = "pos_embed")]
    private readonly Parameter positions;
    [ComponentName(Name = "patch_embed")]
    private readonly Sequential patchEmbedding;
    [ComponentName(Name = "blocks")]
    private readonly ModuleList<Dinov2Block> blocks;
    [ComponentName(Name = "norm")]
    private readonly LayerNorm norm;

    // The position embedding is frozen, so its resampling for a patch grid is computed once per grid.
    private readonly Dictionary<(long Height, long Width), Tensor> resampledPositions = [];

    /// <summary>Builds the layers with placeholder values; load weights with <see cref="Dinov2Weights"/>.</summary>
    public Dinov2VisionTransformer(Dinov2Options options, Device? device = null) : base(nameof(Dinov2VisionTransformer))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        int width = options.EmbeddingDimension;
        classToken = new Parameter(zeros(1, 1, width, device: device), requires_grad: false);
        if (options.RegisterTokens > 0)
            registerTokens = new Parameter(zeros(1, options.RegisterTokens, width, device: device), requires_grad: false);
        positions = new Parameter(zeros(1, options.PositionTokens, width, device: device), requires_grad: false);
        patchEmbedding = nn.Sequential(("proj", nn.Conv2d(3, width, options.PatchSize, stride: options.PatchSize, device: device)));
        blocks = nn.ModuleList<Dinov2Block>();
        for (int block = 0; block < options.Depth; block++)
            blocks.Add(new Dinov2Block(options, device));
        norm = nn.LayerNorm(width, Dinov2Options.LayerNormEpsilon, device: device);
        RegisterComponents();
        Freeze();
    }

    public Dinov2Options Options { get; }

    /// <summary>Channels of the features (1024 for ViT-L).</summary>
    public int FeatureDimension => Options.EmbeddingDimension;

    /// <summary>Where the weights live.</summary>
    public Device Device => positions.device;

    /// <summary>Pixels [B, 3, H, W] → the final-norm tokens [B, 1 + registers + (H/14)·(W/14), E] (timm's <c>forward_features</c>).</summary>
    public override Tensor forward(Tensor pixels) => ForwardFeatures(pixels);

    /// <inheritdoc cref="forward"/>
    public Tensor ForwardFeatures(Tensor pixels)
    {
        if (pixels.dim() != 4 || pixels.shape[1] != 3 || pixels.shape[2] < Options.PatchSize || pixels.shape[3] < Options.PatchSize)
            throw new ArgumentException(
                $"DINOv2 needs [B, 3, H, W] pixels with sides of at least {Options.PatchSize}, got [{string.Join(", ", pixels.shape)}]", nameof(pixels));
        using var scope = NewDisposeScope();
        var patches = patchEmbedding.call(pixels);
        long batch = patches.shape[0], gridHeight = patches.shape[2], gridWidth = patches.shape[3];
        var tokens = patches.flatten(2).transpose(1, 2);
        var prefix = new List<Tensor> { classToken.expand(batch, -1, -1) };
        if (registerTokens is not null)
            prefix.Add(registerTokens.expand(batch, -1, -1));
        var embedding = PositionsFor(gridHeight, gridWidth);
        // timm's two orders: add to the patches, then concatenate (no_embed_class), or concatenate, then add.
        tokens = Options.EmbedsPrefixPositions
            ? cat([.. prefix, tokens], 1).add(embedding)
            : cat([.. prefix, tokens.add(embedding)], 1);
        foreach (var block in blocks)
            tokens = block.call(tokens);
        return norm.call(tokens).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The authors' VF features (GQ_SPEC §4.5): images in [−1, 1] as they are (no ImageNet normalisation), bilinear
    /// resize to 256², then to 224² (align_corners false, no antialiasing), <see cref="ForwardFeatures"/> without
    /// gradients, the class and register tokens dropped: [B, E, 16, 16].
    /// </summary>
    public Tensor AlignmentFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var resized = Resize(Resize(images.to(ScalarType.Float32, Device), AlignmentFirstSide), AlignmentInputSide);
        var tokens = ForwardFeatures(resized);
        long side = AlignmentInputSide / Options.PatchSize;
        var patches = tokens.narrow(1, Options.PrefixTokens, side * side);
        return patches.transpose(1, 2).reshape(tokens.shape[0], FeatureDimension, side, side).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// timm's <c>resample_abs_pos_embed</c>: the patch rows of the position embedding, as a [E, 37, 37] image,
    /// resized to the input's patch grid with antialiased bicubic interpolation; the prefix rows kept apart, as
    /// they are. The trained grid itself is used unchanged.
    /// </summary>
    public Tensor PositionsFor(long gridHeight, long gridWidth)
    {
        int grid = Options.PositionGrid;
        if (gridHeight == grid && gridWidth == grid)
            return positions.alias();
        lock (resampledPositions)
        {
            if (!resampledPositions.TryGetValue((gridHeight, gridWidth), out var cached))
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                int prefix = Options.EmbedsPrefixPositions ? Options.PrefixTokens : 0;
                long width = FeatureDimension;
                var patchRows = positions.narrow(1, prefix, (long)grid * grid)
                    .reshape(1, grid, grid, width).permute(0, 3, 1, 2);
                var resized = nn.functional.interpolate(patchRows, [gridHeight, gridWidth], mode: InterpolationMode.Bicubic,
                        align_corners: false, antialias: true)
                    .permute(0, 2, 3, 1).reshape(1, gridHeight * gridWidth, width);
                cached = (prefix > 0 ? cat([positions.narrow(1, 0, prefix), resized], 1) : resized).contiguous();
                cached.DetachFromDisposeScope(); // kept across calls: owned by the cache, freed on dispose
                resampledPositions[(gridHeight, gridWidth)] = cached;
            }
            return cached.alias();
        }
    }

    /// <summary>Forgets the resampled position embeddings; called after new weights are copied in.</summary>
    internal void ClearPositionCache()
    {
        lock (resampledPositions)
        {
            foreach (var tensor in resampledPositions.Values) tensor.Dispose();
            resampledPositions.Clear();
        }
    }

    private void Freeze()
    {
        foreach (var parameter in parameters())
            parameter.requires_grad = false;
        eval();
    }

    private static Tensor Resize(Tensor images, long side) =>
        nn.functional.interpolate(images, [side, side], mode: InterpolationMode.Bilinear, align_corners: false);

    protected override void Dispose(bool disposing)
    {
        if (disposing) ClearPositionCache();
        base.Dispose(disposing);
    }
}
