import { plural } from '../../core/words/plural';
import { acceptUnlabelled } from '../actions';
import { useStudio } from '../store';
import { useUnlabelledOffer } from './unlabelled-offer';

/** Shown after a refusal whose folders are not classes of the model: load the same images unlabelled. */
export function UnlabelledOfferView() {
  const offer = useUnlabelledOffer();
  const model = useStudio((s) => s.model?.name ?? 'the model');
  const locked = useStudio((s) => s.busy !== null || s.run.status === 'running' || s.run.status === 'cancelling');
  if (!offer) return null;
  return (
    <div className="banner banner-notice unlabelled-offer" data-testid="unlabelled-offer">
      <span className="banner-text">
        The folders of {offer.source} are not classes of {model}. Use the {plural(offer.files.length, 'file')} as unlabelled images: the
        run then scores agreement with the dense model instead of accuracy.
      </span>
      <button type="button" className="primary" data-testid="load-unlabelled" disabled={locked} onClick={() => void acceptUnlabelled(offer)}>
        Load as unlabelled
      </button>
    </div>
  );
}
