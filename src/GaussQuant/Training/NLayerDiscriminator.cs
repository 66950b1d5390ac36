using GaussQuant.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// The PatchGAN discriminator of the reference's adversarial loss: 4×4 convolutions with LeakyReLU(0.2), stride 2
/// except for the last two, giving one logit per overlapping patch, [B, 1, h, w]. Module names follow the
/// reference (<c>main.0</c>, <c>main.2</c>, <c>main.3</c>, …) so its <c>loss.discriminator.*</c> keys load unchanged.
/// </summary>
public sealed class NLayerDiscriminator : nn.Module<Tensor, Tensor>
{
    private const int KernelSize = 4;
    private const int Padding = 1;
    private const double NegativeSlope = 0.2;
    private const int MaxChannelMultiplier = 8;
    private const double InitialWeightStd = 0.02;

    private readonly Sequential main;

    /// <param name="options">Layer count and widths.</param>
    /// <param name="device">Where the parameters are created (CPU by default).</param>
    public NLayerDiscriminator(NLayerDiscriminatorOptions options, Device? device = null) : base(nameof(NLayerDiscriminator))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InputChannels, 1, nameof(options.InputChannels));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BaseChannels, 1, nameof(options.BaseChannels));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LayerCount, 1, nameof(options.LayerCount));

        long baseChannels = options.BaseChannels;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(options.InputChannels, baseChannels, KernelSize, stride: 2, padding: Padding, device: device),
            nn.LeakyReLU(NegativeSlope, inplace: true),
        };
        long multiplier = 1;
        for (int layer = 1; layer <= options.LayerCount; layer++)
        {
            long previous = multiplier;
            multiplier = ChannelMultiplier(layer);
            long stride = layer < options.LayerCount ? 2 : 1;
            long channels = baseChannels * multiplier;
            // BatchNorm has its own shift, so the convolution before it has no bias; ActNorm keeps it.
            layers.Add(nn.Conv2d(baseChannels * previous, channels, KernelSize, stride: stride, padding: Padding,
                bias: options.UseActNorm, device: device));
            layers.Add(options.UseActNorm ? new ActNorm(channels, device) : nn.BatchNorm2d(channels, device: device));
            layers.Add(nn.LeakyReLU(NegativeSlope, inplace: true));
        }
        layers.Add(nn.Conv2d(baseChannels * multiplier, 1, KernelSize, stride: 1, padding: Padding, device: device));
        main = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => main.forward(input);

    /// <summary>min(2^layer, 8): the width doubles per layer up to eight times the base.</summary>
    private static long ChannelMultiplier(int layer) => layer >= 3 ? MaxChannelMultiplier : 1L << layer;

    /// <summary>
    /// Makes ActNorm's data-dependent start use the first batch of every rank of <paramref name="ranks"/> together.
    /// BatchNorm is left per rank, as Lightning's DDP (without sync_batchnorm) leaves it: see docs/distributed.md.
    /// </summary>
    public void ShareStatisticsOver(ICommunicator ranks)
    {
        foreach (var norm in main.children().OfType<ActNorm>())
            norm.Ranks = ranks;
    }

    /// <summary>
    /// The reference's <c>weights_init</c>: every convolution weight ~ N(0, 0.02) (biases keep their default
    /// initialisation), BatchNorm weight ~ N(1, 0.02) and bias 0. ActNorm is left for its data-dependent start.
    /// </summary>
    public void InitializeWeights(Generator? generator = null)
    {
        using var noGrad = no_grad();
        foreach (var module in main.children())
        {
            switch (module)
            {
                case Conv2d convolution:
                    // Tensor.normal_ rather than nn.init.normal_: TorchSharp 0.107's init ignores the generator.
                    convolution.weight!.normal_(0.0, InitialWeightStd, generator);
                    break;
                case BatchNorm2d norm:
                    norm.weight!.normal_(1.0, InitialWeightStd, generator);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
    }
}
