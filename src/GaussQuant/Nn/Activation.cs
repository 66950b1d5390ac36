using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>The UNet's activation, SiLU, applied where its input is a fresh map nobody else reads (a norm's output).</summary>
internal static class Activation
{
    /// <summary>
    /// SiLU of <paramref name="fresh"/>: in place at inference, which saves one feature map of memory traffic and of
    /// peak memory per call (the values are the same: one rounding of x·σ(x) either way); a new tensor under autograd,
    /// whose backward reads the input.
    /// </summary>
    public static Tensor SiluOfFresh(Tensor fresh) => is_grad_enabled() ? nn.functional.silu(fresh) : fresh.silu_();
}
