using GaussQuant.Nn.Dinov2;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// The VF-alignment loss (GQ_SPEC §4.5, VA-VAE's): the latent, resized bilinearly to the feature grid (16×16), and the
/// frozen DINOv2 features of the images are brought to one channel count by <c>linear_proj</c> (a 1×1 convolution,
/// the authors' key), then compared by a margin on their token-to-token cosine-similarity matrices and a margin on
/// their per-position cosine similarity. Its only state is <c>linear_proj</c>, trained with the autoencoder; the
/// foundation model is not a child (it is frozen and not saved).
/// </summary>
public sealed class VfAlignmentLoss : nn.Module
{
    private const double CosineEpsilon = 1e-8; // F.cosine_similarity's default

    private readonly VfAlignmentOptions options;
    private readonly Dinov2VisionTransformer foundation;

    private readonly Conv2d projection;

    /// <param name="options">Margins, weights and the projection's direction.</param>
    /// <param name="foundation">The frozen feature extractor; the caller keeps ownership.</param>
    /// <param name="latentChannels">Channels of the latent the regularizer outputs (<c>z_channels</c>).</param>
    /// <param name="device">Where <c>linear_proj</c> is created.</param>
    public VfAlignmentLoss(VfAlignmentOptions options, Dinov2VisionTransformer foundation, int latentChannels, Device? device = null)
        : base(nameof(VfAlignmentLoss))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(foundation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentChannels);
        this.options = options;
        this.foundation = foundation;
        int features = foundation.FeatureDimension;
        projection = options.ReverseProjection
            ? nn.Conv2d(latentChannels, features, 1, bias: false, device: device)
            : nn.Conv2d(features, latentChannels, 1, device: device);
        // Registered by hand: RegisterComponents would adopt the foundation model's weights as ours too.
        register_module("linear_proj", projection);
    }

    public VfAlignmentOptions Options => options;

    /// <summary>The frozen foundation model's features of <paramref name="images"/> ([−1, 1]), [B, E, 16, 16], without gradients.</summary>
    public Tensor Features(Tensor images) => foundation.AlignmentFeatures(images);

    /// <summary>The loss for a latent [B, c, h, w] (the regularizer's training output) and the images' <see cref="Features"/>.</summary>
    public VfAlignmentTerms Compute(Tensor latent, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(features);
        if (latent.dim() != 4 || features.dim() != 4 || latent.shape[0] != features.shape[0])
            throw new ArgumentException(
                $"VF alignment needs a latent [B, c, h, w] and features [B, E, h', w'] of one batch, got [{string.Join(", ", latent.shape)}] " +
                $"and [{string.Join(", ", features.shape)}]");
        using var scope = NewDisposeScope();
        var resized = nn.functional.interpolate(latent, [features.shape[2], features.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        var (aligned, target) = options.ReverseProjection ? (projection.call(resized), features) : (resized, projection.call(features));

        var alignedUnit = nn.functional.normalize(aligned.flatten(2), dim: 1);
        var targetUnit = nn.functional.normalize(target.flatten(2), dim: 1);
        var alignedSimilarity = alignedUnit.transpose(1, 2).matmul(alignedUnit);
        var targetSimilarity = targetUnit.transpose(1, 2).matmul(targetUnit);
        var distanceMatrix = nn.functional.relu((alignedSimilarity - targetSimilarity).abs() - options.DistanceMatrixMargin).mean();
        var cosine = nn.functional.relu(1 - options.CosineMargin - nn.functional.cosine_similarity(target, aligned, 1, CosineEpsilon)).mean();
        var loss = distanceMatrix * options.DistanceMatrixWeight + cosine * options.CosineWeight;
        return new VfAlignmentTerms(loss.MoveToOuterDisposeScope(), distanceMatrix.MoveToOuterDisposeScope(), cosine.MoveToOuterDisposeScope());
    }
}
