namespace GaussQuant.Training;

/// <summary>
/// Options of the PatchGAN discriminator (<c>discriminator_config.params</c>); defaults are the reference's.
/// The GQ configs use 160 base channels, 6 layers and ActNorm.
/// </summary>
public sealed record NLayerDiscriminatorOptions
{
    /// <summary>Channels of the images it judges (<c>input_nc</c>).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Channels of the first convolution (<c>ndf</c>); layer n has BaseChannels·min(2ⁿ, 8).</summary>
    public int BaseChannels { get; init; } = 64;

    /// <summary>Number of normalised convolution layers (<c>n_layers</c>): all but the last halve the resolution.</summary>
    public int LayerCount { get; init; } = 3;

    /// <summary>ActNorm (convolutions keep their bias) instead of BatchNorm (convolutions lose it) (<c>use_actnorm</c>).</summary>
    public bool UseActNorm { get; init; }
}
