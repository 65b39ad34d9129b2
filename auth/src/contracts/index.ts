import { openApiDocumentFor } from '@taskforge/common';
import { confirmEmail, changeEmail, resendVerification } from './email-verification';
import { changePassword, confirmPasswordReset, requestPasswordReset } from './passwords';
import { currentUser, signIn, signOut, signOutEverywhere, signUp } from './sessions';
import { deleteMe, showMe, showUser, updateMe } from './users';

/** OpenAPI 3.1 description of the auth API; tests check every route's real answers against it. */
export const openApiDocument = openApiDocumentFor({
  title: 'TaskForge auth',
  description:
    'Sign up, sign in and out, profiles and preferences. The session is a JWT (ES256) in the ' +
    '`session` cookie; other services verify it with the public key.',
  tags: ['session', 'profile'],
  routes: [
    signUp,
    signIn,
    signOut,
    signOutEverywhere,
    currentUser,
    showMe,
    updateMe,
    deleteMe,
    requestPasswordReset,
    confirmPasswordReset,
    resendVerification,
    changeEmail,
    confirmEmail,
    changePassword,
    showUser,
  ],
});
