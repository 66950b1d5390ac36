namespace GaussQuant.Config;

/// <summary>The PatchGAN discriminator (<c>pit.modules.lpips.model.model.NLayerDiscriminator</c>); defaults are the reference's.</summary>
public sealed record DiscriminatorOptions
{
    /// <summary>Image channels (<c>input_nc</c>).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Channels of the first convolution (<c>ndf</c>); later layers multiply it by up to 8.</summary>
    public int BaseChannels { get; init; } = 64;

    /// <summary>Stride-2 convolution layers (<c>n_layers</c>).</summary>
    public int Layers { get; init; } = 3;

    /// <summary>ActNorm after each inner convolution (<c>use_actnorm</c>); BatchNorm otherwise.</summary>
    public bool UseActNorm { get; init; }
}
