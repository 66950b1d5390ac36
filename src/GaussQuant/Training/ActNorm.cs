using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// Per-channel affine normalisation y = scale·(x + loc) whose parameters are set from the statistics of the first
/// batch it sees in training mode (loc = −mean, scale = 1 / (unbiased std + 1e-6) over batch and space), after
/// which they are trained like any other parameter. Parameter names (<c>loc</c>, <c>scale</c>, and the uint8
/// buffer <c>initialized</c>) are the reference's, so its checkpoints load unchanged.
/// </summary>
public sealed class ActNorm : nn.Module<Tensor, Tensor>
{
    private const double StdEpsilon = 1e-6;

    private readonly Parameter loc;
    private readonly Parameter scale;
    private readonly Tensor initialized;

    /// <param name="channels">Channels of the input, C in [B, C, H, W].</param>
    /// <param name="device">Where the parameters are created (CPU by default).</param>
    public ActNorm(long channels, Device? device = null) : base(nameof(ActNorm))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        loc = new Parameter(zeros(1, channels, 1, 1, device: device));
        scale = new Parameter(ones(1, channels, 1, 1, device: device));
        initialized = tensor((byte)0, device: device);
        RegisterComponents();
    }

    /// <summary>Whether loc and scale have been set from data (or loaded from a checkpoint that had them set).</summary>
    public bool IsInitialized => initialized.item<byte>() != 0;

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4)
            throw new ArgumentException($"ActNorm expects [B, C, H, W] input, got [{string.Join(", ", input.shape)}]", nameof(input));
        if (training && !IsInitialized)
            InitializeFrom(input);
        return scale * (input + loc);
    }

    private void InitializeFrom(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long channels = input.shape[1];
        var perChannel = input.transpose(0, 1).reshape(channels, -1);
        var mean = perChannel.mean([1]).view(1, channels, 1, 1);
        var std = perChannel.std(1, unbiased: true).view(1, channels, 1, 1);
        loc.copy_(-mean);
        scale.copy_(1.0 / (std + StdEpsilon));
        initialized.fill_(1);
    }
}
