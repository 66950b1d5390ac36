using GaussQuant.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Quantization.Fsq;

/// <summary>
/// Finite scalar quantization (spec §3, <c>FSQQuantizer</c>): channel i with L levels is bounded to
/// tanh(z + shift)·h − offset (h = (L − 1)(1 + 1e-3)/2, offset ½ for even L, shift = atanh(offset / h)), rounded with a
/// straight-through gradient and scaled by 1 / (L // 2). The token is the mixed-radix number of the digits
/// q + L // 2, the first channel most significant. The levels are a buffer (<c>regularization.levels</c>, int32), as
/// the reference keeps them in its checkpoints.
/// </summary>
public sealed class FsqQuantizer : Quantizer
{
    /// <summary>The reference's margin that keeps the bound's extreme levels reachable.</summary>
    private const double BoundEpsilon = 1e-3;

    private readonly Tensor levels;
    private readonly long[] radices;

    public FsqQuantizer(FsqQuantizerOptions options, int latentChannels) : base(nameof(FsqQuantizer), options, latentChannels)
    {
        Options = options;
        levels = tensor(options.Levels.ToArray(), ScalarType.Int32);
        register_buffer(nameof(levels), levels);
        radices = new long[options.Levels.Count];
        long place = 1;
        for (int channel = options.Levels.Count - 1; channel >= 0; channel--)
        {
            radices[channel] = place;
            place *= options.Levels[channel];
        }
    }

    public FsqQuantizerOptions Options { get; }

    public override void CheckLoaded(string source)
    {
        var loaded = levels.data<int>().ToArray();
        if (!loaded.SequenceEqual(Options.Levels))
            throw new InvalidDataException(
                $"{source}: regularization.levels is [{string.Join(", ", loaded)}] but the config's FSQ levels are [{string.Join(", ", Options.Levels)}]");
    }

    public override QuantizedLatent Quantize(Tensor encoderOutput, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var digits = Bounded(encoderOutput).round().add(Column(level => level / 2));
        var tokens = digits.to(ScalarType.Int64).mul(Column(channel => radices[channel], ScalarType.Int64, byChannel: true))
            .sum(1, keepdim: true);
        var continuous = Scale(Bounded(encoderOutput));
        return new QuantizedLatent(tokens.MoveToOuterDisposeScope(), Scale(digits.sub(Column(level => level / 2))).MoveToOuterDisposeScope(),
            continuous.MoveToOuterDisposeScope(), continuous.clone().MoveToOuterDisposeScope());
    }

    /// <summary>The bounded, scaled latent before rounding (what the decoder's inputs are rounded from).</summary>
    public override ContinuousLatent Continuous(Tensor encoderOutput, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latent = Scale(Bounded(encoderOutput)).MoveToOuterDisposeScope();
        return new ContinuousLatent(latent, latent);
    }

    public override Tensor Dequantize(Tensor indices)
    {
        RequireTokenRange(indices, Tokens!.CodebookSize);
        if (indices.dim() != 4 || indices.shape[1] != 1)
            throw new ArgumentException($"FSQ tokens must be shaped [B, 1, h, w], got [{string.Join(", ", indices.shape)}]");
        using var scope = NewDisposeScope();
        var tokens = indices.to(ScalarType.Int64).to(levels.device);
        var digits = tokens.div(Column(channel => radices[channel], ScalarType.Int64, byChannel: true), rounding_mode: RoundingMode.floor)
            .remainder(Column(level => level, ScalarType.Int64));
        return Scale(digits.to(ScalarType.Float32).sub(Column(level => level / 2))).MoveToOuterDisposeScope();
    }

    /// <summary>The bounded latent rounded with a straight-through gradient; FSQ has no loss terms.</summary>
    public override QuantizerTrainingOutput TrainingPass(Tensor encoderOutput, Generator? generator = null, GlobalBatch? batch = null)
    {
        using var scope = NewDisposeScope();
        var bounded = Bounded(encoderOutput);
        var rounded = bounded.add(bounded.round().sub(bounded).detach());
        return new QuantizerTrainingOutput(Scale(rounded).MoveToOuterDisposeScope(), new Dictionary<string, Tensor>(), KlStatistics.None);
    }

    /// <summary>tanh(z + shift)·h − offset, per channel.</summary>
    private Tensor Bounded(Tensor latent)
    {
        if (latent.dim() != 4 || latent.shape[1] != LatentChannels)
            throw new ArgumentException($"the FSQ quantizer takes latents [B, {LatentChannels}, h, w], got [{string.Join(", ", latent.shape)}]");
        var half = Column(HalfWidth);
        var offset = Column(Offset);
        var shift = Column(level => Math.Atanh(Offset(level) / HalfWidth(level)));
        return latent.add(shift).tanh().mul(half).sub(offset);
    }

    private Tensor Scale(Tensor centred) => centred.div(Column(level => level / 2));

    private static double HalfWidth(int level) => (level - 1) * (1 + BoundEpsilon) / 2;

    private static double Offset(int level) => level % 2 == 0 ? 0.5 : 0.0;

    /// <summary>A [1, c, 1, 1] tensor of one value per channel, from its level (or, <paramref name="byChannel"/>, its index).</summary>
    private Tensor Column(Func<int, double> value, ScalarType type = ScalarType.Float32, bool byChannel = false)
    {
        var values = Options.Levels.Select((level, channel) => value(byChannel ? channel : level)).ToArray();
        return tensor(values, device: levels.device).to(type).reshape(1, values.Length, 1, 1);
    }
}
