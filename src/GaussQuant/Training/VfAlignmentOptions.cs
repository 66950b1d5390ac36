namespace GaussQuant.Training;

/// <summary>
/// VA-VAE-style alignment of the latent to a frozen vision foundation model's features (GQ_SPEC §4.5): the VF
/// params of <c>loss_config.params</c> (defaults are the reference loss's) and the model's <c>reverse_proj</c>.
/// </summary>
public sealed record VfAlignmentOptions
{
    /// <summary>Scale of the VF term's weight (<c>vf_weight</c>): the weight itself when not adaptive, else the factor on the gradient ratio.</summary>
    public double Weight { get; init; } = 0.1;

    /// <summary>Balance the VF gradient against the NLL gradient at <c>encoder.conv_out.weight</c> (<c>adaptive_vf</c>).</summary>
    public bool Adaptive { get; init; } = true;

    /// <summary>Cosine-similarity differences up to this are free (<c>distmat_margin</c>).</summary>
    public double DistanceMatrixMargin { get; init; } = 0.25;

    /// <summary>Per-position cosine similarity above 1 − this is free (<c>cos_margin</c>).</summary>
    public double CosineMargin { get; init; } = 0.5;

    /// <summary>Weight of the distance-matrix term (<c>distmat_weight</c>).</summary>
    public double DistanceMatrixWeight { get; init; } = 1.0;

    /// <summary>Weight of the cosine term (<c>cos_weight</c>).</summary>
    public double CosineWeight { get; init; } = 1.0;

    /// <summary>
    /// <c>reverse_proj</c>: true projects the latent up to the feature channels (1×1 conv without bias, the authors'
    /// config); false projects the features down to the latent channels (with bias).
    /// </summary>
    public bool ReverseProjection { get; init; }
}
